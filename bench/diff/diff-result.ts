/** What `bench:diff` records per project size (bench/results/diff.json), read back by the report. */
import type { MachineFacts } from '../lib/machine';
import type { RoundTripCounts } from '../lib/round-trip-counter';

export interface EngineDiffTiming {
  /** `ok`, or why there is no number (pgshift's `gen diff` not landed yet, a failed run). */
  readonly status: 'ok' | 'unavailable' | 'failed';
  readonly note?: string;
  /** Whole-process wall time of each measured run, in run order. */
  readonly runsMs: number[];
  readonly medianMs: number;
  /**
   * Client CPU time (user + system of the engine's Node process) of the same runs: far steadier than wall
   * time when other work shares the machine, but blind to the server's side of the catalog queries.
   */
  readonly cpuRunsMs: number[];
  readonly medianCpuMs: number;
  /** The first run of the session (pgshift: transpile cache cold for every entity file). */
  readonly firstRunMs?: number;
  /** From the counting proxy, on a separate run. */
  readonly roundTrips?: RoundTripCounts;
  readonly exitCode?: number | null;
  /** The start of what the engine printed for the change (its plan or migration). */
  readonly outputPreview?: string;
  /** pgshift only: its `--verbose` stderr (time split, round trips), if it prints one. */
  readonly verbose?: string;
  /** pgshift only: the phases of its `--verbose` "timings (ms): {…}" line, when it prints one. */
  readonly timeSplitMs?: Record<string, number>;
  /** pgshift only: per measured run, the run caches it used (`--verbose`'s `caches:` line). */
  readonly caches?: Record<string, string>[];
}

export interface DiffSizeResult {
  readonly tables: number;
  readonly columnsPerTable: number;
  readonly foreignKeys: number;
  readonly indexes: number;
  readonly synchronizeMs: number;
  readonly change: string;
  readonly typeorm: EngineDiffTiming;
  /** pgshift's runs, the entity model cache warm (what a repeated run with unchanged entities costs). */
  readonly pgshift: EngineDiffTiming;
  /** pgshift after an entity edit before every run (a copy of the project): model cache and one transpile missing. */
  readonly pgshiftEdited?: EngineDiffTiming;
  /** pgshift median / TypeORM median; null while pgshift has no number. */
  readonly ratio: number | null;
  /** pgshiftEdited median / TypeORM median. */
  readonly ratioEdited?: number | null;
  /** The same ratio of client CPU time. */
  readonly cpuRatio: number | null;
  /** 1-minute load average when the size's runs started and ended: above the core count, other work competed. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly target: number;
}

export interface DiffBenchResult {
  readonly machine: MachineFacts;
  readonly command: string;
  readonly runsPerSize: number;
  readonly sizes: DiffSizeResult[];
}
