/** What `bench:stall` records (bench/results/stall.json), read back by the report. */
import type { MachineFacts } from '../lib/machine';
import type { AppliedFile } from './apply-migration-files';
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
  readonly writes: number;
  readonly writerErrors: number;
  readonly writerErrorMessages: Record<string, number>;
  readonly files?: AppliedFile[];
  readonly data: DataCheck | null;
  /** 1-minute load average when the migration started: above the core count, other work competed. */
  readonly loadAverage?: number;
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
  readonly kinds: StallKindResult[];
}
