/**
 * Running one migration file the way golang-migrate does — its whole text as one simple-protocol query —
 * with what golang-migrate lacks: fresh session timeouts per file, retries when a lock is busy, and the
 * cleanup a failed CREATE INDEX CONCURRENTLY needs before it can run again.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { backoffDelay, sleep } from './backoff';
import { dropInvalidIndex } from './invalid-index';
import type { ResolvedOptions } from './options';
import type { PlannedStep } from './plan';
import { withProgress } from './progress-poller';
import { applySessionTimeouts } from './session';
import type { MigrationSqlAnalysis } from './statements';

/** SQLSTATE lock_not_available: lock_timeout expired (or NOWAIT). */
export const LOCK_NOT_AVAILABLE = '55P03';

export interface FileContext {
  readonly work: Client;
  readonly workPid: number;
  readonly options: ResolvedOptions;
  readonly pollClient: () => Promise<Client>;
}

interface PgError { code?: string; message?: string; position?: string; detail?: string; hint?: string }

/**
 * The version write that belongs to a transactional file: run inside the file's own transaction, so the
 * file and schema_migrations commit together or roll back together — a failure leaves no trace.
 */
export type CommitWithFile = (client: Client) => Promise<void>;

/** The file runs in one transaction the runner opens, with its version write inside. */
export function runsInOwnTransaction(analysis: MigrationSqlAnalysis): boolean {
  return analysis.transactional && !analysis.controlsTransactions;
}

export async function executeFile(
  ctx: FileContext, step: PlannedStep, text: string, analysis: MigrationSqlAnalysis, commitWith: CommitWithFile | null,
): Promise<void> {
  const { options } = ctx;
  const wrapped = commitWith !== null && runsInOwnTransaction(analysis);
  for (let attempt = 0; ; attempt++) {
    try {
      await applySessionTimeouts(ctx.work, options.lockTimeout, options.statementTimeout);
      const kind = analysis.statementKind;
      if (kind.kind === 'create-index-concurrently' && kind.index && kind.table) {
        const dropped = await dropInvalidIndex(ctx.work, kind.table, kind.index);
        if (dropped) options.emit({ kind: 'invalid-index-dropped', version: step.version, index: dropped });
      }
      if (wrapped) await ctx.work.query('BEGIN');
      if (analysis.statements.length > 0) {
        await withProgress(
          { version: step.version, workPid: ctx.workPid, intervalMs: options.progressIntervalMs, emit: options.emit, pollClient: ctx.pollClient },
          () => ctx.work.query(text),
        );
      }
      if (wrapped) {
        // The file may have SET a tiny statement_timeout; its own version write must not inherit it.
        await ctx.work.query("SELECT set_config('statement_timeout', $1, true)", [options.statementTimeout]);
        await commitWith!(ctx.work);
        await ctx.work.query('COMMIT');
      }
      return;
    } catch (error) {
      // Our transaction, or a file's own BEGIN that failed half-way: the session is in an aborted transaction.
      if (ctx.work.getTransactionStatus() !== 'I') await ctx.work.query('ROLLBACK').catch(() => undefined);
      if (error instanceof PgshiftError) throw error;
      const err = error as PgError;
      if (options.signal?.aborted) throw stopped(step, analysis);
      if (err.code === LOCK_NOT_AVAILABLE && attempt < options.lockRetries) {
        const delayMs = backoffDelay(attempt, options.retryBaseDelayMs);
        options.emit({ kind: 'retry', version: step.version, attempt: attempt + 1, of: options.lockRetries, delayMs, reason: err.message ?? 'lock timeout' });
        await sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw stopped(step, analysis);
        continue;
      }
      throw fileFailed(step, text, analysis, err, attempt);
    }
  }
}

const showVersion = (version: number) => (version < 0 ? 'none' : String(version));

/** The hint for a transactional file that failed or was stopped: it left nothing behind. */
function rolledBack(step: PlannedStep): string {
  return `the file and its version update ran as one transaction and were rolled back: the database is still at version ${showVersion(step.fromVersion)}, not dirty`;
}

/**
 * A run stopped by Ctrl-C (the signal) while the file ran. For a non-transactional file the runner
 * replaces the hint once it knows where the database is (see runner.ts).
 */
function stopped(step: PlannedStep, analysis: MigrationSqlAnalysis): PgshiftError {
  const hint = runsInOwnTransaction(analysis)
    ? `${rolledBack(step)}; run \`pgshift up\` again to apply it`
    : 'the statement ran outside a transaction and may have done part of its work';
  return new PgshiftError('MIGRATION_FAILED', `stopped while running ${step.file.fileName}`, { hint });
}

function fileFailed(step: PlannedStep, text: string, analysis: MigrationSqlAnalysis, err: PgError, attempt: number): PgshiftError {
  const where = err.position ? ` (line ${lineOf(text, Number(err.position))})` : '';
  const lockBusy = err.code === LOCK_NOT_AVAILABLE;
  const retried = lockBusy && attempt > 0 ? ` after ${attempt + 1} attempts` : '';
  const detail = err.detail ? `\n  ${err.detail}` : '';
  const message = `${step.file.fileName} failed${retried}${where}: ${err.message ?? String(err)}${detail}`;
  const next = lockBusy
    ? 'run again when the table is less busy, or give it more time with --lock-timeout / --lock-retries'
    : 'fix the cause and run again';
  const hint = runsInOwnTransaction(analysis)
    ? `${rolledBack(step)}; ${next}`
    : 'the statement ran outside a transaction and may have done part of its work';
  return new PgshiftError('MIGRATION_FAILED', message, { hint, cause: err });
}

/** A version as `pgshift force` takes it (-1: no version). */
export function forceArgument(version: number): string {
  return String(version);
}

export function lineOf(text: string, position: number): number {
  // PostgreSQL counts characters from 1, not bytes.
  const before = [...text].slice(0, Math.max(0, position - 1)).join('');
  return before.split('\n').length;
}
