/**
 * What the planner produces. A Step becomes one golang-migrate pair (`NNNNNN_slug.up.sql`/`.down.sql`).
 */
import type { Precheck } from './precheck';

import type { Statement } from '../sql/statement';

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
  /** Data checks `up` runs right before the up file (header lines `-- pgshift precheck: …`). */
  readonly prechecks?: readonly Precheck[];
  /** The pending contracts this step finishes: its header names them, and `pgshift up` gates on them. */
  readonly contracts?: readonly string[];
}

export interface Timeouts {
  /** e.g. `2s` */
  readonly lockTimeout: string;
  readonly statementTimeout: string;
}

export const DEFAULT_TIMEOUTS: Timeouts = { lockTimeout: '2s', statementTimeout: '60s' };
