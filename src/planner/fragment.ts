/**
 * A rule's output for one change: a piece of a migration file. The assembler orders fragments by stage
 * and merges neighbouring mergeable ones into one file, so "add three nullable columns" is one file while
 * every CONCURRENTLY build stays alone in its own.
 */
import type { Precheck } from './precheck';
import type { Phase } from './step';
import type { Statement } from '../sql/statement';

/** The order in which the parts of all changes run. Gaps leave room for new rules. */
export const STAGE = {
  /** ALTER TYPE … ADD VALUE: committed before anything may use the new label. */
  enumValue: 5,
  /** Catalog-only DDL and expand steps (new tables, nullable columns, triggers). */
  schema: 10,
  /** CREATE [UNIQUE] INDEX CONCURRENTLY, one per file. */
  concurrentIndex: 20,
  /** Instant attachments: ADD CONSTRAINT … USING INDEX, FK/CHECK … NOT VALID. */
  attach: 30,
  /** Batched data backfills. */
  backfill: 40,
  /** NOT VALID constraints that may only exist once the data is filled. */
  afterBackfill: 45,
  /** VALIDATE CONSTRAINT (scans under SHARE UPDATE EXCLUSIVE: writes continue). */
  validate: 50,
  /** SET NOT NULL backed by a validated check, and cleanup of helpers. */
  enforce: 60,
  /** Destructive drops (only with --allow-destructive): after everything else, so nothing still needs them. */
  contract: 70,
  /** Views created or replaced: after everything they may read has its final shape (rules/create-view.ts). */
  views: 80,
} as const;

export interface Fragment {
  readonly stage: number;
  readonly phase: Phase;
  readonly content: 'schema' | 'data';
  readonly transactional: boolean;
  /** May share a file with neighbouring fragments of the same stage. */
  readonly mergeable: boolean;
  /** Short slug words, e.g. `add_users_avatar`. */
  readonly slug: string;
  readonly summary: string;
  readonly why: string;
  readonly up: readonly Statement[];
  /** Statements that undo `up`, in execution order. */
  readonly down: readonly Statement[];
  readonly downNote?: string;
  /** Data that must hold before the fragment's file runs (checked at plan time in live mode and by `up`). */
  readonly prechecks?: readonly Precheck[];
  /** The pending contract this fragment finishes (set when `gen diff --contract` emits it). */
  readonly contract?: string;
}
