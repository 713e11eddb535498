/** `pgshift sync`: apply the additive part of the diff straight to a development database. */
import { InvalidArgumentError, type Command } from 'commander';
import { relative } from 'node:path';
import { describeTarget, resolveDatabaseUrl } from '../../db/connect';
import { EXIT, PgshiftError } from '../../errors';
import { describeChange } from '../../planner/describe';
import { describeSkipped } from '../../sync/additive';
import { DEFAULT_DEV_PORT, ensureDevDatabase, stopDevDatabase } from '../../sync/dev-database';
import { watchedFolders } from '../../sync/entities';
import { refuseProduction } from '../../sync/guards';
import { runSync } from '../../sync/run-sync';
import type { SyncResult } from '../../sync/sync-model';
import { watchFolders } from '../../sync/watch';
import { out, paint } from '../output';
import { unmanagedLines } from '../plan-output';
import { reportError, runAction } from '../run-action';
import { resolveConfigPath } from '../shared-options';

interface SyncFlags {
  config: string;
  databaseUrl?: string;
  watch?: boolean;
  dryRun?: boolean;
  force?: boolean;
  allowRemote?: boolean;
  port: number;
  stop?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
  return port;
}

function printResult(result: SyncResult): void {
  for (const { change, sql } of result.applied) {
    out(`${result.dryRun ? 'would apply' : paint.green('applied')}: ${describeChange(change)}`);
    if (result.dryRun) for (const statement of sql) out(paint.dim(`  ${statement.replace(/\n/g, '\n  ')};`));
  }
  for (const skipped of result.skipped) out(`${paint.yellow('skipped')}: ${describeSkipped(skipped)}`);
  for (const line of unmanagedLines(result.unmanaged)) out(paint.dim(line));
  const counts = `${result.applied.length} ${result.dryRun ? 'to apply' : 'applied'}, ${result.skipped.length} skipped`;
  out(`sync${result.dryRun ? ' --dry-run' : ''}: ${counts} (${result.elapsedMs} ms)${result.dryRun ? '; nothing was changed' : ''}`);
}

/** The URL to sync: --database-url, DATABASE_URL, or the project's dev database (started if need be). */
async function resolveTarget(flags: SyncFlags): Promise<{ url: string; stopAfter: boolean }> {
  const url = resolveDatabaseUrl(flags.databaseUrl);
  if (url) return { url, stopAfter: false };
  const dev = await ensureDevDatabase(process.cwd(), flags.port);
  out(`dev database: ${dev.url} ${paint.dim(`(${dev.startedNow ? 'started' : 'running'}; data in ${relative(process.cwd(), dev.dataDir) || dev.dataDir})`)}`);
  if (!flags.watch && dev.startedNow) out(paint.dim('It keeps running for your app; `pgshift sync --stop` stops it.'));
  return { url: dev.url, stopAfter: Boolean(flags.watch) && dev.startedNow };
}

async function once(flags: SyncFlags, configPath: string, url: string, onEntityFiles?: (files: readonly string[]) => void): Promise<void> {
  const result = await runSync({
    configPath, databaseUrl: url, cwd: process.cwd(), env: process.env,
    dryRun: flags.dryRun, force: flags.force, allowRemote: flags.allowRemote, onEntityFiles,
  });
  printResult(result);
}

/** Syncs, then again after every change to the entity files, until Ctrl-C. */
async function watchAndSync(flags: SyncFlags, configPath: string, url: string): Promise<number> {
  let files: readonly string[] = [];
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  const watcher = watchFolders((file) => schedule(file));
  const refreshFolders = () => watcher.setFolders(watchedFolders(configPath, files));
  const run = async () => {
    try {
      await once(flags, configPath, url, (loaded) => { files = loaded; });
    } catch (error) {
      // A half-typed entity or a failing constraint must not end the watch: report it and wait for the fix.
      reportError(error);
    }
    refreshFolders();
  };
  function schedule(file: string): void {
    if (queued) return;
    queued = true;
    running = running.then(() => {
      queued = false;
      out('', paint.dim(`${new Date().toLocaleTimeString()} ${relative(process.cwd(), file) || file} changed`));
      return run();
    });
  }

  // Ctrl-C is ours from the start, also during the first sync: it lets a running sync finish (it is one
  // transaction) and ends the watch with exit 0, instead of the default SIGINT death (exit 130).
  let stopRequested = false;
  const stopped = new Promise<void>((resolveStop) => {
    const stop = () => { stopRequested = true; process.off('SIGINT', stop); process.off('SIGTERM', stop); resolveStop(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  try {
    await once(flags, configPath, url, (loaded) => { files = loaded; });
  } catch (error) {
    // Refusals end the command: they will not go away by editing an entity.
    if (error instanceof PgshiftError && (error.code === 'REFUSED' || error.code === 'USAGE')) { watcher.close(); throw error; }
    reportError(error);
  }
  if (!stopRequested) {
    refreshFolders();
    out(paint.dim('watching the entity files; Ctrl-C stops'));
  }
  await stopped;
  watcher.close();
  await running;
  out('stopped watching');
  return EXIT.ok;
}

async function sync(flags: SyncFlags): Promise<number> {
  if (flags.stop) {
    out(await stopDevDatabase(process.cwd()) ? 'stopped the dev database' : 'the dev database is not running');
    return EXIT.ok;
  }
  // Before anything starts: in production nothing about sync applies, not even the dev database.
  refuseProduction(process.env);
  const configPath = resolveConfigPath(flags.config);
  const target = await resolveTarget(flags);
  if (!flags.watch) {
    await once(flags, configPath, target.url);
    return EXIT.ok;
  }
  try {
    return await watchAndSync(flags, configPath, target.url);
  } finally {
    if (target.stopAfter) {
      await stopDevDatabase(process.cwd());
      out(`stopped the dev database at ${describeTarget(target.url)}`);
    }
  }
}

export function registerSync(program: Command): void {
  const command = program
    .command('sync')
    .description('apply the additive part of the diff to a development database (replaces synchronize: true)')
    .option('-c, --config <path>', 'TypeORM config module that exports the DataSource', 'ormconfig.ts')
    .option('--database-url <url>', 'the development database (default: $DATABASE_URL, else the dev database)')
    .option('--watch', 'sync again whenever an entity file changes, until Ctrl-C')
    .option('--dry-run', 'print what would be applied, with its SQL; change nothing')
    .option('--force', 'sync although the database is managed by migrations (schema_migrations exists)')
    .option('--allow-remote', 'sync a database that is not on this machine')
    .option('--port <n>', 'port of the dev database', parsePort, DEFAULT_DEV_PORT)
    .option('--stop', 'stop the dev database and exit');
  command.addHelpText('after', `
For development only. Applies what only adds — schemas, extensions, enums and labels, tables, nullable or
defaulted columns, keys, constraints, indexes, comments — in one transaction (rolled back whole if
anything fails, e.g. a foreign key that existing rows violate). Never drops, renames or changes a
column: those are listed as skipped, for \`pgshift gen diff\`.

Without --database-url or DATABASE_URL it uses a dev database kept in .pgshift/dev-db, on port ${DEFAULT_DEV_PORT}
(--port), started if needed and left running for your app. Refuses NODE_ENV=production, a database
that has schema_migrations (--force) and a host other than this machine (--allow-remote).

Examples:
  $ pgshift sync                          # the dev database; prints the URL for your app
  $ pgshift sync --watch                  # again on every entity change, until Ctrl-C
  $ pgshift sync --dry-run --database-url postgres://me@localhost/app_dev
  $ pgshift sync --stop                   # stop the dev database`);
  command.action(runAction((flags: SyncFlags) => sync(flags)));
}
