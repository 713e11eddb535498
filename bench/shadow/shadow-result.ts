/** What `bench:shadow` records (bench/results/shadow.json), read back by the report. */
import type { MachineFacts } from '../lib/machine';

export interface ShadowModeTiming {
  /** Whole-process wall time of each measured run, in run order. */
  readonly runsMs: number[];
  readonly medianMs: number;
  /** Per run, the run caches it used and how (`--verbose`'s `caches:` line): `{"entity model":"hit",…}`. */
  readonly caches?: Record<string, string>[];
}

export interface ShadowCaseResult {
  readonly name: string;
  readonly tables: number;
  readonly migrationFiles: number;
  /** The command, as run in the case's project (the live mode adds --database-url). */
  readonly command: string;
  /** First run on an empty cache: initdb, server start, the full replay, the cached template. */
  readonly coldMs: number;
  /** The warm shadow (the default path). */
  readonly shadow: ShadowModeTiming;
  /** The same diff against a live database at the folder's version. */
  readonly live: ShadowModeTiming;
  /** A throwaway server per run, as before the warm shadow (PGSHIFT_WARM_SHADOW=0). */
  readonly throwaway: ShadowModeTiming;
  /** The warm shadow and the live database with `--no-cache` (no entity-model or shadow-state cache). */
  readonly shadowNoCache?: ShadowModeTiming;
  readonly liveNoCache?: ShadowModeTiming;
  /** The warm shadow after an entity edit before each run (every run cache and one transpile missing). */
  readonly edited?: ShadowModeTiming;
  /** shadow median / live median (run caches warm on both). */
  readonly ratio: number;
  /** The same with --no-cache on both. */
  readonly ratioNoCache?: number;
  readonly target: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface ShadowBenchResult {
  readonly machine: MachineFacts;
  readonly command: string;
  readonly runs: number;
  readonly cases: ShadowCaseResult[];
}
