/**
 * What the migration commands (up, down, goto, version, force, status) share: their options, the
 * database URL check, Ctrl-C handling, and rendering runner events — a live line on a TTY, plain lines
 * otherwise (CI logs).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { describeTarget, resolveDatabaseUrl } from '../../db/connect';
import { targetConnection } from '../../db/golang-migrate-url';
import { PgshiftError } from '../../errors';
import { describeBackfillProgress } from '../../runner/backfill-progress';
import { describeEvent, formatDuration } from '../../runner/describe-event';
import type { IndexBuildProgress, RunnerEvent, RunnerListener } from '../../runner/events';
import { DEFAULT_LOCK_RETRIES, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, type RunnerOptions } from '../../runner/options';
import { paint } from '../output';
import { DEFAULT_QUIET_FOR, parseQuietFor } from '../../contract-gate/quiet-for';

export interface ConnectionFlags { dir: string; databaseUrl?: string }
export interface RunFlags extends ConnectionFlags {
  lockTimeout: string; statementTimeout: string; lockRetries: number; allowEdited?: boolean; skipDataChecks?: boolean;
  /** Contract gate (issue #15): milliseconds the old shape must have gone unused; --force-contract skips it. */
  quietFor?: number; forceContract?: boolean;
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option('-d, --dir <migrations>', 'migrations folder', 'migrations')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)');
}

/**
 * The options of the commands that run files. Data checks and the contract gate guard up files only
 * (down files carry no data checks and retire no old shape), so `down` offers neither: `forward` is
 * false for it, true for `up` and `goto` (which may go either way).
 */
export function addRunOptions(command: Command, { forward }: { forward: boolean }): Command {
  const run = addConnectionOptions(command)
    .option('--lock-timeout <duration>', 'lock_timeout for every file; a busy lock fails fast and is retried', DEFAULT_LOCK_TIMEOUT)
    .option('--statement-timeout <duration>', 'statement_timeout for every file (0 = none: index builds run long)', DEFAULT_STATEMENT_TIMEOUT)
    .option('--lock-retries <n>', 'retries after a lock timeout, with exponential backoff', parseWhole, DEFAULT_LOCK_RETRIES)
    .option('--allow-edited', 'go on although applied migrations were edited or are missing');
  if (!forward) return run;
  return run
    .option('--skip-data-checks', 'run up files without the data checks in their headers (duplicates, NULLs, orphans, CHECK violations, values that do not fit)')
    .option('--quiet-for <duration>', 'run a contract step only once the database shows its old shape unused this long', parseQuietFor, parseQuietFor(DEFAULT_QUIET_FOR))
    .option('--force-contract', 'run contract steps whatever the database shows (a warning prints the evidence)');
}

export function requireDatabaseUrl(flags: ConnectionFlags): string {
  const url = resolveDatabaseUrl(flags.databaseUrl);
  if (!url) {
    throw new PgshiftError('USAGE', 'no database URL', { hint: 'pass --database-url postgres://user@host:5432/dbname (password in the URL or PGPASSWORD), or set DATABASE_URL' });
  }
  // golang-migrate's ?search_path= (schema-per-tenant) must reach the server, not be dropped by node-postgres.
  return targetConnection(url).url;
}

/** host:port/dbname, for messages and prompts; never the password. */
export const describeDatabase = describeTarget;

export function runnerOptionsFrom(flags: RunFlags, onEvent: RunnerListener, signal: AbortSignal): RunnerOptions {
  return {
    databaseUrl: requireDatabaseUrl(flags),
    dir: flags.dir,
    lockTimeout: flags.lockTimeout,
    statementTimeout: flags.statementTimeout,
    lockRetries: flags.lockRetries,
    allowEdited: Boolean(flags.allowEdited),
    skipDataChecks: Boolean(flags.skipDataChecks),
    quietForMs: flags.quietFor,
    forceContract: Boolean(flags.forceContract),
    onEvent,
    signal,
  };
}

function parseWhole(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a number of migrations ≥ 1');
  return Number(value);
}

export function parseVersion(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < -1) {
    throw new InvalidArgumentError('expected a migration version (a whole number, or -1 for none)');
  }
  return Number(value);
}

export function showVersion(version: number): string {
  return version < 0 ? 'none' : String(version);
}

/**
 * Runs `fn` with an AbortSignal tied to Ctrl-C: the first one cancels the running statement on the server
 * (so nothing keeps running after pgshift is gone) and stops the run; a second one exits at once.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      process.off('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    process.stderr.write(`\n${paint.yellow('stopping:')} cancelling the running statement (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function describeIndex(index: IndexBuildProgress): string {
  const percent = (done: number, total: number) => (total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '');
  if (index.lockersTotal > 0 && index.phase.startsWith('waiting')) return `${index.phase} (${index.lockersDone}/${index.lockersTotal})`;
  if (index.blocksTotal > 0) return `${index.phase}${percent(index.blocksDone, index.blocksTotal)} (${index.blocksDone}/${index.blocksTotal} blocks)`;
  if (index.tuplesTotal > 0) return `${index.phase}${percent(index.tuplesDone, index.tuplesTotal)}`;
  return index.phase;
}

/** A plain (non-TTY) backfill progress line at most this often: a CI log wants a pulse, not a flood. */
const PLAIN_BACKFILL_EVERY_MS = 5_000;

/**
 * Renders events to `stream`: on a TTY one live line per file; otherwise plain lines — a backfill's
 * progress (rows of the estimate, rate, ETA) every few seconds, other long files every 30 s.
 */
export function createRenderer(stream: NodeJS.WriteStream = process.stdout): RunnerListener {
  const live = Boolean(stream.isTTY);
  let open: { fileName: string; verb: string; note: string } | null = null;
  let lastPlainProgress = 0;
  let fileStarted = 0;
  let backfill = '';
  const clear = () => { if (live) stream.write('\r\u001b[2K'); };
  const head = () => (open ? `${open.verb} ${open.fileName}${open.note} …` : '');

  const line = (text: string) => {
    if (open && live) {
      clear();
      stream.write(`${text}\n${head()}`);
    } else if (open) {
      stream.write(`\n${text}\n`);
      open = { ...open, verb: '' }; // the head line is broken; `done` then writes a whole line
    } else {
      stream.write(`${text}\n`);
    }
  };

  return (event: RunnerEvent) => {
    switch (event.kind) {
      case 'start':
        open = { fileName: event.fileName, verb: event.direction === 'up' ? 'applying' : 'reverting', note: event.transactional ? '' : paint.dim(' (no transaction)') };
        lastPlainProgress = Date.now();
        fileStarted = Date.now();
        backfill = '';
        stream.write(`${head()}${live ? '' : ' '}`);
        return;
      case 'backfill-progress': {
        const elapsed = Date.now() - fileStarted;
        backfill = describeBackfillProgress(event.progress, elapsed);
        if (live && open) { clear(); stream.write(`${head()} ${paint.dim(`${formatDuration(elapsed)} · ${backfill}`)}`); return; }
        if (!live && Date.now() - lastPlainProgress >= PLAIN_BACKFILL_EVERY_MS) {
          lastPlainProgress = Date.now();
          line(`  … backfill: ${backfill}`);
        }
        return;
      }
      case 'done': {
        const took = `done in ${formatDuration(event.elapsedMs)}`;
        if (open && open.verb === '') stream.write(`${event.fileName} … ${paint.green(took)}\n`);
        else if (live) { clear(); stream.write(`${head()} ${paint.green(took)}\n`); }
        else stream.write(`${paint.green(took)}\n`);
        open = null;
        return;
      }
      case 'progress': {
        const detail = `${formatDuration(event.elapsedMs)}${event.index ? ` · ${describeIndex(event.index)}` : ''}${backfill ? ` · ${backfill}` : ''}`;
        if (live && open) { clear(); stream.write(`${head()} ${paint.dim(detail)}`); return; }
        if (!live && Date.now() - lastPlainProgress >= 30_000) {
          lastPlainProgress = Date.now();
          line(`  … still running: ${detail}`);
        }
        return;
      }
      case 'warning':
      case 'retry':
        line(paint.yellow(describeEvent(event) ?? ''));
        return;
      default: {
        const text = describeEvent(event);
        if (text) line(event.kind === 'notice' ? paint.dim(text) : text);
      }
    }
  };
}
