/** Runner settings with their defaults, checked once so a typo fails before anything runs. */
import { PgshiftError } from '../errors';
import type { RunnerListener } from './events';

export interface RunnerOptions {
  readonly databaseUrl: string;
  /** The migrations folder. */
  readonly dir: string;
  /** Session lock_timeout for every file (a PostgreSQL duration, e.g. `2s`). Default `2s`. */
  readonly lockTimeout?: string;
  /** Session statement_timeout; `0` (none) by default, since index builds and backfills run long. */
  readonly statementTimeout?: string;
  /** How often a lock-timeout failure (SQLSTATE 55P03) is retried. Default 5. */
  readonly lockRetries?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Go on although applied migrations were edited or are missing. */
  readonly allowEdited?: boolean;
  /** How often a long file's progress is polled. Default 1000 ms. */
  readonly progressIntervalMs?: number;
  /** How often a busy migration lock is tried again. Default 500 ms. */
  readonly lockPollMs?: number;
  /** Run the files without the data checks their headers ask for (a step then fails on bad rows itself). */
  readonly skipDataChecks?: boolean;
  /** Contract steps run only once their old shape was unused this long (ms). Default 24 h. */
  readonly quietForMs?: number;
  /** Run contract steps whatever the evidence says (a warning carries it). */
  readonly forceContract?: boolean;
  readonly onEvent?: RunnerListener;
  /** Aborting cancels the running statement on the server (pg_cancel_backend) and stops the run. */
  readonly signal?: AbortSignal;
}

export interface ResolvedOptions {
  readonly databaseUrl: string;
  readonly dir: string;
  readonly lockTimeout: string;
  readonly statementTimeout: string;
  readonly lockRetries: number;
  readonly retryBaseDelayMs: number;
  readonly allowEdited: boolean;
  readonly progressIntervalMs: number;
  readonly lockPollMs: number;
  readonly skipDataChecks: boolean;
  readonly quietForMs: number;
  readonly forceContract: boolean;
  readonly emit: RunnerListener;
  readonly signal: AbortSignal | undefined;
}

export const DEFAULT_LOCK_TIMEOUT = '2s';
export const DEFAULT_STATEMENT_TIMEOUT = '0';
export const DEFAULT_LOCK_RETRIES = 5;
export const DEFAULT_QUIET_FOR_MS = 24 * 3_600_000;

export function resolveOptions(options: RunnerOptions): ResolvedOptions {
  if (!options.databaseUrl) {
    throw new PgshiftError('USAGE', 'no database URL', { hint: 'pass --database-url or set DATABASE_URL' });
  }
  const lockRetries = options.lockRetries ?? DEFAULT_LOCK_RETRIES;
  if (!Number.isInteger(lockRetries) || lockRetries < 0) {
    throw new PgshiftError('USAGE', `lock retries must be a whole number ≥ 0, got ${lockRetries}`);
  }
  return {
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    lockTimeout: options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT,
    statementTimeout: options.statementTimeout ?? DEFAULT_STATEMENT_TIMEOUT,
    lockRetries,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    allowEdited: options.allowEdited ?? false,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    lockPollMs: options.lockPollMs ?? 500,
    skipDataChecks: options.skipDataChecks ?? false,
    quietForMs: options.quietForMs ?? DEFAULT_QUIET_FOR_MS,
    forceContract: options.forceContract ?? false,
    emit: options.onEvent ?? (() => undefined),
    signal: options.signal,
  };
}
