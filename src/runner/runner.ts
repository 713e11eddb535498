/**
 * The migration runner: golang-migrate's contract on the database (schema_migrations, dirty flag,
 * advisory lock id) with pgshift's checks around it. Independent of the CLI: it reports through
 * `onEvent` and throws PgshiftError.
 */
import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { readMigrationsDir, type Migration } from '../migrations-dir/files';
import { checksumOf, readMigrationBytes } from './checksum';
import { openRunConnections, withConnection, type RunConnections } from './connections';
import { executeFile } from './execute-file';
import { refuseDirty, refuseEdited, describeProblems } from './guards';
import { golangMigrateLockIds } from './lock-id';
import { acquireMigrationLock, describeLockHolder } from './lock';
import { resolveOptions, type ResolvedOptions, type RunnerOptions } from './options';
import { planSteps, type Direction, type PlannedStep, type Request } from './plan';
import { applySessionTimeouts } from './session';
import { analyzeMigrationSql, type MigrationSqlAnalysis } from './statements';
import { computeStatus, type StatusReport } from './status';
import { bookkeeping, currentSchema, ensureTables, NIL_VERSION, readChecksums, readVersion, setVersion, type Bookkeeping, type DatabaseVersion } from './version-table';

export interface StepResult {
  readonly version: number;
  readonly direction: Direction;
  readonly fileName: string;
  readonly elapsedMs: number;
}

export interface RunResult {
  readonly from: DatabaseVersion;
  readonly to: DatabaseVersion;
  readonly steps: readonly StepResult[];
  /** How many steps were asked for but did not exist (`up 5` with 3 pending). */
  readonly shortBy: number;
}

interface PreparedStep {
  readonly step: PlannedStep;
  readonly text: string;
  readonly checksum: string;
  readonly analysis: MigrationSqlAnalysis;
}

/** Runs `up [N]`, `down [N]` or `goto V` under the migration lock. */
export async function migrate(runnerOptions: RunnerOptions, request: Request): Promise<RunResult> {
  const options = resolveOptions(runnerOptions);
  const migrations = readMigrationsDir(options.dir);
  return withLockedRun(options, async (conns, book) => {
    await ensureTables(conns.work, book);
    const from = await readVersion(conns.work, book);
    refuseDirty(from, migrations);
    const report = await statusOf(conns.work, book, migrations, from);
    if (options.allowEdited) {
      if (report.problems.length > 0) options.emit({ kind: 'warning', message: `going on although ${describeProblems(report)} (--allow-edited)` });
    } else {
      refuseEdited(report);
    }
    const plan = planSteps(migrations, from.version, request);
    // Every file is read and checked before the first one runs, so a bad file 5 never leaves a run stopped at 3.
    const prepared = plan.steps.map(prepare);
    await warnAboutServer(conns.work, prepared, options);
    const steps: StepResult[] = [];
    for (const item of prepared) steps.push(await runStep(conns, book, options, item));
    const to = await readVersion(conns.work, book);
    return { from, to, steps, shortBy: plan.shortBy };
  });
}

/** `force V`: sets V clean without running anything (V = -1: no version). */
export async function forceVersion(runnerOptions: RunnerOptions, version: number): Promise<{ from: DatabaseVersion; inFolder: boolean }> {
  if (!Number.isSafeInteger(version) || version < NIL_VERSION) {
    throw new PgshiftError('USAGE', `invalid version ${version}`, { hint: 'force takes a migration version, or -1 for none' });
  }
  const options = resolveOptions(runnerOptions);
  const migrations = readMigrationsDir(options.dir);
  return withLockedRun(options, async (conns, book) => {
    await ensureTables(conns.work, book);
    const from = await readVersion(conns.work, book);
    await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
    // Checksums above V belong to migrations the database no longer has.
    await setVersion(conns.work, book, version, false, { kind: 'forget-above', version });
    return { from, inFolder: version === NIL_VERSION || migrations.some((m) => m.version === version) };
  });
}

/** The database's version; creates nothing and takes no lock. */
export async function databaseVersion(runnerOptions: Pick<RunnerOptions, 'databaseUrl'>): Promise<DatabaseVersion> {
  const options = resolveOptions({ ...runnerOptions, dir: '.' });
  return withConnection(options.databaseUrl, async (client) => readVersion(client, bookkeeping(await currentSchema(client))));
}

export interface FullStatus extends StatusReport {
  /** Who holds the migration lock right now (a run in progress), or null. */
  readonly lockHolder: string | null;
}

/** Applied, pending, edited and missing migrations; creates nothing and takes no lock. */
export async function migrationStatus(runnerOptions: Pick<RunnerOptions, 'databaseUrl' | 'dir'>): Promise<FullStatus> {
  const options = resolveOptions(runnerOptions);
  const migrations = readMigrationsDir(options.dir);
  return withConnection(options.databaseUrl, async (client) => {
    const schema = await currentSchema(client);
    const book = bookkeeping(schema);
    const version = await readVersion(client, book);
    const report = await statusOf(client, book, migrations, version);
    const database = await currentDatabase(client);
    const lockHolder = await describeLockHolder(client, golangMigrateLockIds(database, schema, options.databaseUrl));
    return { ...report, lockHolder };
  });
}

async function statusOf(client: Client, book: Bookkeeping, migrations: readonly Migration[], version: DatabaseVersion): Promise<StatusReport> {
  const recorded = await readChecksums(client, book);
  return computeStatus(migrations, version, recorded, (m) => (m.up ? checksumOf(readFileSync(m.up.path)) : null));
}

async function currentDatabase(client: Client): Promise<string> {
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  return rows[0]!.name;
}

export async function withLockedRun<T>(options: ResolvedOptions, fn: (conns: RunConnections, book: Bookkeeping) => Promise<T>): Promise<T> {
  const conns = await openRunConnections(options.databaseUrl);
  conns.work.on('notice', (notice) => options.emit({ kind: 'notice', message: notice.message ?? String(notice) }));
  const onAbort = () => {
    // Cancel whatever the work connection is running; the file then fails and the run stops.
    void conns.lock.query('SELECT pg_cancel_backend($1)', [conns.workPid]).catch(() => undefined);
  };
  try {
    // A bad --lock-timeout fails here, before any waiting or writing.
    await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
    const schema = await currentSchema(conns.lock);
    const ids = golangMigrateLockIds(await currentDatabase(conns.lock), schema, options.databaseUrl);
    const held = await acquireMigrationLock(conns.lock, ids, { pollMs: options.lockPollMs, emit: options.emit, signal: options.signal });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn(conns, bookkeeping(schema));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!conns.lockLost()) await held.release().catch(() => undefined);
    }
  } finally {
    await conns.close();
  }
}

function prepare(step: PlannedStep): PreparedStep {
  const { text, checksum } = readMigrationBytes(step.file);
  const analysis = analyzeMigrationSql(text);
  if (analysis.problem) {
    throw new PgshiftError('MIGRATIONS_DIR', `${step.file.fileName}: ${analysis.problem}`, {
      hint: 'split it: put that statement alone in its own migration file (nothing has been run)',
    });
  }
  return { step, text, checksum, analysis };
}

async function warnAboutServer(client: Client, prepared: readonly PreparedStep[], options: ResolvedOptions): Promise<void> {
  const concurrentBuild = prepared.some((p) => p.analysis.statementKind.kind === 'create-index-concurrently' || p.analysis.nonTransactionalReason === 'REINDEX CONCURRENTLY');
  if (!concurrentBuild) return;
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  const num = Number(rows[0]!.v);
  if (num >= 140000 && num < 140004) {
    options.emit({ kind: 'warning', message: 'PostgreSQL 14.0–14.3 can corrupt indexes built CONCURRENTLY; upgrade to 14.4+ (then REINDEX affected indexes)' });
  }
}

async function runStep(conns: RunConnections, book: Bookkeeping, options: ResolvedOptions, item: PreparedStep): Promise<StepResult> {
  const { step } = item;
  if (conns.lockLost()) throw new PgshiftError('DATABASE', 'lost the connection holding the migration lock; stopped before the next file');
  if (options.signal?.aborted) throw new PgshiftError('MIGRATION_FAILED', `stopped before ${step.file.fileName}`);
  options.emit({ kind: 'start', version: step.version, direction: step.direction, fileName: step.file.fileName, transactional: item.analysis.transactional });
  const started = Date.now();
  await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
  await setVersion(conns.work, book, step.targetVersion, true);
  await executeFile({ work: conns.work, workPid: conns.workPid, options, pollClient: conns.poll }, step, item.text, item.analysis);
  // The file may have SET a tiny statement_timeout; the bookkeeping must not inherit it and fail a success.
  await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
  await setVersion(
    conns.work, book, step.targetVersion, false,
    step.direction === 'up'
      ? { kind: 'record', version: step.version, name: step.file.fileName, checksum: item.checksum }
      : { kind: 'forget', version: step.version },
  );
  const elapsedMs = Date.now() - started;
  options.emit({ kind: 'done', version: step.version, direction: step.direction, fileName: step.file.fileName, elapsedMs });
  return { version: step.version, direction: step.direction, fileName: step.file.fileName, elapsedMs };
}
