/**
 * What the planner produces. A Step becomes one golang-migrate pair (`NNNNNN_slug.up.sql`/`.down.sql`).
 */
import type { QualifiedName } from '../model/schema';
import type { LintWaiver } from './lint-waiver';

/** PostgreSQL's table-level lock modes (docs: "Explicit Locking"), weakest first. */
export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** What ordinary application traffic does while a lock mode is held. */
export function lockBlocks(lock: LockMode | null): 'nothing' | 'writes' | 'reads and writes' {
  switch (lock) {
    case null:
    case 'ACCESS SHARE':
    case 'ROW SHARE':
    case 'ROW EXCLUSIVE':
    case 'SHARE UPDATE EXCLUSIVE':
      return 'nothing';
    case 'SHARE':
    case 'SHARE ROW EXCLUSIVE':
    case 'EXCLUSIVE':
      return 'writes';
    case 'ACCESS EXCLUSIVE':
      return 'reads and writes';
  }
}

export interface Statement {
  readonly sql: string;
  /** The strongest table lock the statement takes, or null for none (e.g. CREATE TYPE). */
  readonly lock: LockMode | null;
  /** The table the lock is on, for the header. */
  readonly table: QualifiedName | null;
  /** True when the statement rewrites or scans the whole table while holding `lock`. */
  readonly rewrites: boolean;
  /** How long the lock is held: `instant` (catalog only) or `scan`/`rewrite`/`build` (proportional). */
  readonly duration: 'instant' | 'scan' | 'rewrite' | 'build' | 'batched';
  /** squawk findings this statement triggers on purpose (rendered as `-- squawk-ignore`, reason in the header). */
  readonly waivers?: readonly LintWaiver[];
}

export type Phase = 'direct' | 'expand' | 'backfill' | 'contract';

export interface Step {
  /** Slug for the file name, e.g. `add_users_avatar`. */
  readonly slug: string;
  readonly phase: Phase;
  /** Schema and data never share a file. */
  readonly content: 'schema' | 'data';
  /**
   * Transactional files hold any number of statements and begin with `SET lock_timeout` and
   * `SET statement_timeout`. A non-transactional file holds exactly one statement (CONCURRENTLY, a
   * committing DO loop) and gets its timeouts from the runner's session.
   */
  readonly transactional: boolean;
  /** One line: what the step does. */
  readonly summary: string;
  /** Why this form is safe (rendered in the header). */
  readonly why: string;
  readonly up: readonly Statement[];
  readonly down: readonly Statement[];
  /** Extra header lines for the down file (e.g. "data dropped by the up cannot return"). */
  readonly downNote?: string;
  /** The pending contracts this step finishes: its header names them, and `pgshift up` gates on them. */
  readonly contracts?: readonly string[];
}

export interface Timeouts {
  /** e.g. `2s` */
  readonly lockTimeout: string;
  readonly statementTimeout: string;
}

export const DEFAULT_TIMEOUTS: Timeouts = { lockTimeout: '2s', statementTimeout: '60s' };
