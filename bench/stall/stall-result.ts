/** What `bench:stall` records (bench/results/stall.json), read back by the report. */
import type { MachineFacts } from '../lib/machine';
import type { AppliedFile } from './apply-migration-files';
import type { BackfillBaseline } from './backfill-baseline';
import type { BulkWriteFloor } from './bulk-write-floor';
import type { DataCheck } from './data-check';

export interface StallEngineResult {
  /**
   * ok: the migration ran to the end; failed: it stopped with an error (rolled back for TypeORM);
   * decision: pgshift asked for a decision the kind's flags did not give; unavailable: no `gen diff` yet.
   */
  readonly status: 'ok' | 'failed' | 'decision' | 'unavailable';
  readonly note?: string;
  /** What ran: TypeORM's statements, or pgshift's file names. */
  readonly plan: string[];
  readonly migrationMs: number | null;
  readonly longestWriteMs: number | null;
  /** The migration file running when the longest write started (pgshift), or null (between files). */
  readonly longestWriteDuring?: string | null;
  /** When the longest write started (ISO), to line it up with the server's log. */
  readonly longestWriteStartedAt?: string;
  readonly writes: number;
  readonly writerErrors: number;
  readonly writerErrorMessages: Record<string, number>;
  readonly files?: AppliedFile[];
  readonly data: DataCheck | null;
  /** 1-minute load average when the migration started: above the core count, other work competed. */
  readonly loadAverage?: number;
  /** Checkpoints the server started while the migration ran (a backfill's WAL volume requests them). */
  readonly checkpoints?: number | null;
  /** pgshift: each batched backfill against one plain UPDATE of the same rows (backfill-baseline.ts). */
  readonly backfills?: BackfillBaseline[];
}

export interface StallKindResult {
  readonly kind: string;
  readonly label: string;
  readonly pgshift: StallEngineResult;
  readonly typeorm: StallEngineResult;
}

export interface StallBenchResult {
  readonly machine: MachineFacts;
  readonly command: string;
  readonly rows: number;
  readonly thinkMs: number;
  readonly seedMs: number;
  /** The writers' longest write with no migration running (same writers, same copy): the machine's noise floor. */
  readonly idleLongestWriteMs?: number;
  /** The writers' longest write while a copy table is rewritten twice with no lock in common (bulk-write-floor.ts). */
  readonly bulkWriteFloor?: BulkWriteFloor;
  readonly kinds: StallKindResult[];
  /** How the recorded run was put together, when it is not one plain run (e.g. kinds re-run after a fix). */
  readonly notes?: string[];
}
