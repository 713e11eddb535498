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

export async function executeFile(ctx: FileContext, step: PlannedStep, text: string, analysis: MigrationSqlAnalysis): Promise<void> {
  const { options } = ctx;
  for (let attempt = 0; ; attempt++) {
    try {
      await applySessionTimeouts(ctx.work, options.lockTimeout, options.statementTimeout);
      const kind = analysis.statementKind;
      if (kind.kind === 'create-index-concurrently' && kind.index && kind.table) {
        const dropped = await dropInvalidIndex(ctx.work, kind.table, kind.index);
        if (dropped) options.emit({ kind: 'invalid-index-dropped', version: step.version, index: dropped });
      }
      if (analysis.statements.length === 0) return; // only comments: nothing to send
      await withProgress(
        { version: step.version, workPid: ctx.workPid, intervalMs: options.progressIntervalMs, emit: options.emit, pollClient: ctx.pollClient },
        () => ctx.work.query(text),
      );
      return;
    } catch (error) {
      if (error instanceof PgshiftError) throw error;
      // A file with its own BEGIN that failed half-way leaves the session in an aborted transaction.
      if (ctx.work.getTransactionStatus() !== 'I') await ctx.work.query('ROLLBACK').catch(() => undefined);
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

function stopped(step: PlannedStep, analysis: MigrationSqlAnalysis): PgshiftError {
  const hint = analysis.transactional
    ? `the file was rolled back, so the database is still at version ${step.fromVersion < 0 ? 'none' : step.fromVersion}; ` +
      `\`pgshift force ${forceArgument(step.fromVersion)}\` clears the dirty flag`
    : 'the statement ran outside a transaction and may have done part of its work (a cancelled concurrent build leaves an INVALID index, ' +
      'which pgshift drops on the next run); check, then `pgshift force V` with the version the database is at';
  return new PgshiftError('MIGRATION_FAILED', `stopped while running ${step.file.fileName}`, { hint });
}

function fileFailed(step: PlannedStep, text: string, analysis: MigrationSqlAnalysis, err: PgError, attempt: number): PgshiftError {
  const where = err.position ? ` (line ${lineOf(text, Number(err.position))})` : '';
  const retried = err.code === LOCK_NOT_AVAILABLE && attempt > 0 ? ` after ${attempt + 1} attempts` : '';
  const detail = err.detail ? `\n  ${err.detail}` : '';
  const message = `${step.file.fileName} failed${retried}${where}: ${err.message ?? String(err)}${detail}`;
  // The database is still where it was before the file when the file was one transaction: say which
  // version to force. A non-transactional statement may have left something behind.
  const before = forceArgument(step.fromVersion);
  const hint = analysis.transactional
    ? `the file ran as one transaction and was rolled back, so the database is still at version ${step.fromVersion < 0 ? 'none' : step.fromVersion}; ` +
      `fix the file, then \`pgshift force ${before}\` and run again`
    : analysis.statementKind.kind === 'create-index-concurrently'
      ? `the failed build left an INVALID index, which pgshift drops before running the file again; ` +
        `fix the cause, then \`pgshift force ${before}\` and run again`
      : `the statement ran outside a transaction and may have done part of its work; ` +
        `check, then \`pgshift force V\` with the version the database is at`;
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
