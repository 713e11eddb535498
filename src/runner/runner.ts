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
import { executeFile, runsInOwnTransaction } from './execute-file';
import { refuseDirty, refuseEdited, describeProblems } from './guards';
import { dropInvalidIndex } from './invalid-index';
import { golangMigrateLockIds } from './lock-id';
import { acquireMigrationLock, describeLockHolder } from './lock';
import { resolveOptions, type ResolvedOptions, type RunnerOptions } from './options';
import { planSteps, type Direction, type PlannedStep, type Request } from './plan';
import { refusePlannedForNewer } from './planned-for';
import { gateContractFile } from '../contract-gate/files';
import { describeTarget } from '../db/connect';
import { applySessionTimeouts } from './session';
import { analyzeMigrationSql, type MigrationSqlAnalysis } from './statements';
import { diagnoseDirty, describeDiagnosis, forceAdvice, previousVersion, resumeKindOf, type DirtyDiagnosis } from './recovery';
import { inspectIndex } from './resume-index';
import { parseBackfillNotice } from './backfill-progress';
import { checkBeforeStep } from './data-checks/before-step';
import { prechecksOf } from './data-checks/header';
import type { Precheck } from '../planner/precheck';
import { computeStatus, type StatusReport } from './status';
import {
  bookkeeping, currentSchema, ensureTables, NIL_VERSION, readChecksums, readVersion, setVersion, writeVersion,
  type Bookkeeping, type ChecksumWrite, type DatabaseVersion,
} from '../db/version-table';

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
  /** The data checks its header asks for (up files only). */
  readonly prechecks: readonly Precheck[];
}

/** Runs `up [N]`, `down [N]` or `goto V` under the migration lock. */
export async function migrate(runnerOptions: RunnerOptions, request: Request): Promise<RunResult> {
  const options = resolveOptions(runnerOptions);
  const migrations = readMigrationsDir(options.dir);
  return withLockedRun(options, async (conns, book) => {
    await ensureTables(conns.work, book);
    const dirty = await readVersion(conns.work, book);
    const diagnosis = await diagnose(conns.work, book, migrations, dirty);
    refuseDirty(diagnosis);
    const finished = diagnosis.kind === 'resumable' ? [await finishInterrupted(conns, book, options, migrations, diagnosis)] : [];
    const from = finished.length > 0 ? await readVersion(conns.work, book) : dirty;
    const report = await statusOf(conns.work, book, migrations, from);
    if (options.allowEdited) {
      if (report.problems.length > 0) options.emit({ kind: 'warning', message: `going on although ${describeProblems(report)} (--allow-edited)` });
    } else {
      refuseEdited(report);
    }
    const plan = planSteps(migrations, from.version, request);
    // Every file is read and checked before the first one runs, so a bad file 5 never leaves a run stopped at 3.
    const prepared = plan.steps.map(prepare);
    await refusePlannedForNewer(conns.work, prepared.map((p) => ({ fileName: p.step.file.fileName, text: p.text })));
    await warnAboutServer(conns.work, prepared, options);
    const steps: StepResult[] = finished.filter((s): s is StepResult => s !== null);
    // A database without a version has no application on it yet: nothing can use an old shape.
    const gated = from.version !== NIL_VERSION;
    for (const item of prepared) {
      if (gated && item.step.direction === 'up') await gateContractStep(conns.work, item, options);
      steps.push(await runStep(conns, book, options, item));
    }
    const to = await readVersion(conns.work, book);
    return { from: dirty, to, steps, shortBy: plan.shortBy };
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
  /** What a dirty version means and whether `up` finishes it. */
  readonly dirty: DirtyDiagnosis;
  /** The same in one line. */
  readonly dirtyExplained: string | null;
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
    const dirty = await diagnose(client, book, migrations, version);
    return { ...report, lockHolder, dirty, dirtyExplained: dirty.kind === 'clean' ? null : describeDiagnosis(dirty) };
  });
}

async function statusOf(client: Client, book: Bookkeeping, migrations: readonly Migration[], version: DatabaseVersion): Promise<StatusReport> {
  const recorded = await readChecksums(client, book);
  return computeStatus(migrations, version, recorded, (m) => (m.up ? checksumOf(readFileSync(m.up.path)) : null));
}

async function diagnose(client: Client, book: Bookkeeping, migrations: readonly Migration[], version: DatabaseVersion): Promise<DirtyDiagnosis> {
  if (!version.dirty) return { kind: 'clean' };
  return diagnoseDirty(version, migrations, await readChecksums(client, book), (m) => (m.up ? readMigrationBytes(m.up) : null));
}

async function currentDatabase(client: Client): Promise<string> {
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  return rows[0]!.name;
}

export async function withLockedRun<T>(options: ResolvedOptions, fn: (conns: RunConnections, book: Bookkeeping) => Promise<T>): Promise<T> {
  const conns = await openRunConnections(options.databaseUrl);
  conns.work.on('notice', (notice) => {
    const message = notice.message ?? String(notice);
    const progress = parseBackfillNotice(message);
    options.emit(progress ? { kind: 'backfill-progress', progress } : { kind: 'notice', message });
  });
  // Cancel whatever the work connection is running; the file then fails and the run stops.
  const onAbort = () => void conns.cancelWork().catch(() => undefined);
  try {
    // A bad --lock-timeout fails here, before any waiting or writing.
    await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
    const schema = await currentSchema(conns.work);
    const ids = golangMigrateLockIds(await currentDatabase(conns.work), schema, options.databaseUrl);
    // The lock is taken by the session that runs the files: it lasts exactly as long as their work can.
    const held = await acquireMigrationLock(conns.work, ids, { pollMs: options.lockPollMs, emit: options.emit, signal: options.signal });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn(conns, bookkeeping(schema));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!conns.lost()) await held.release().catch(() => undefined);
    }
  } finally {
    await conns.close();
  }
}

async function gateContractStep(client: Client, item: PreparedStep, options: ResolvedOptions): Promise<void> {
  await gateContractFile(client, item.step.file.fileName, item.text, describeTarget(options.databaseUrl), {
    quietForMs: options.quietForMs, force: options.forceContract, warn: (message) => options.emit({ kind: 'warning', message }),
  });
}

function prepare(step: PlannedStep): PreparedStep {
  const { text, checksum } = readMigrationBytes(step.file);
  const analysis = analyzeMigrationSql(text);
  if (analysis.problem) {
    throw new PgshiftError('MIGRATIONS_DIR', `${step.file.fileName}: ${analysis.problem}`, {
      hint: 'split it: put that statement alone in its own migration file (nothing has been run)',
    });
  }
  // A malformed check line fails here, with the other file problems, before anything runs.
  const prechecks = step.direction === 'up' ? prechecksOf(step.file.fileName, text) : [];
  return { step, text, checksum, analysis, prechecks };
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
  if (conns.lost()) throw new PgshiftError('DATABASE', 'lost the connection holding the migration lock; stopped before the next file');
  if (options.signal?.aborted) throw new PgshiftError('MIGRATION_FAILED', `stopped before ${step.file.fileName}`);
  // On the data as the previous steps left it, before this file takes any lock or marks anything dirty.
  await checkBeforeStep(conns.work, item.step, item.prechecks, options);
  options.emit({ kind: 'start', version: step.version, direction: step.direction, fileName: step.file.fileName, transactional: item.analysis.transactional });
  const started = Date.now();
  const ctx = { work: conns.work, workPid: conns.workPid, options, pollClient: conns.poll };
  const done: ChecksumWrite =
    step.direction === 'up'
      ? { kind: 'record', version: step.version, name: step.file.fileName, checksum: item.checksum }
      : { kind: 'forget', version: step.version };
  await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
  if (runsInOwnTransaction(item.analysis)) {
    // The version moves in the file's own transaction: a failure rolls both back, nothing is dirty.
    await executeFile(ctx, step, item.text, item.analysis, (client) => writeVersion(client, book, step.targetVersion, false, done));
  } else {
    // golang-migrate's bracket: (target, dirty) while the statement runs outside any transaction. For an
    // up, the file's checksum is recorded now, so a run that is killed here can be finished by the next one.
    const starting: ChecksumWrite | undefined =
      step.direction === 'up' ? { kind: 'start', version: step.version, name: step.file.fileName, checksum: item.checksum } : undefined;
    await setVersion(conns.work, book, step.targetVersion, true, starting);
    try {
      await executeFile(ctx, step, item.text, item.analysis, null);
    } catch (error) {
      throw await afterFailedStatement(conns, book, options, item, error);
    }
    // The file may have SET a tiny statement_timeout; the bookkeeping must not inherit it and fail a success.
    await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
    await setVersion(conns.work, book, step.targetVersion, false, done);
  }
  const elapsedMs = Date.now() - started;
  options.emit({ kind: 'done', version: step.version, direction: step.direction, fileName: step.file.fileName, elapsedMs });
  return { version: step.version, direction: step.direction, fileName: step.file.fileName, elapsedMs };
}

/**
 * A non-transactional statement failed or was cancelled while the runner is still here. When running the
 * file again is safe (a concurrent index build, pgshift's backfill, DROP INDEX CONCURRENTLY IF EXISTS),
 * the leftovers are removed and the version goes back to where it was, clean: only a killed run leaves
 * the database dirty. Otherwise it stays dirty and the hint names both versions to force.
 */
async function afterFailedStatement(conns: RunConnections, book: Bookkeeping, options: ResolvedOptions, item: PreparedStep, error: unknown): Promise<unknown> {
  if (!(error instanceof PgshiftError) || error.code !== 'MIGRATION_FAILED') return error;
  const { step, analysis } = item;
  const resume = resumeKindOf(item.text, analysis);
  const hinted = (hint: string) => new PgshiftError(error.code, error.message, { hint, cause: error.cause });
  if (!resume || conns.lost()) {
    return hinted(`the statement ran outside a transaction and may have done part of its work, so the database is dirty. ${forceAdvice(step.targetVersion, step.fromVersion)}`);
  }
  try {
    await applySessionTimeouts(conns.work, options.lockTimeout, options.statementTimeout);
    let dropped: string | null = null;
    const kind = analysis.statementKind;
    if (kind.kind === 'create-index-concurrently' && kind.table && kind.index) {
      dropped = await dropInvalidIndex(conns.work, kind.table, kind.index);
      if (dropped) options.emit({ kind: 'invalid-index-dropped', version: step.version, index: dropped });
    }
    const forget: ChecksumWrite | undefined = step.direction === 'up' ? { kind: 'forget', version: step.version } : undefined;
    await setVersion(conns.work, book, step.fromVersion, false, forget);
    const left = dropped ? ` (the INVALID index ${dropped} the build left was dropped)` : resume.how === 'rerun' && /backfill/.test(resume.what) ? ' (the rows it filled stay filled; running it again continues)' : '';
    const at = step.fromVersion < 0 ? 'no version' : `version ${step.fromVersion}`;
    return hinted(`the database is back at ${at}, not dirty${left}; fix the cause and run again`);
  } catch {
    return hinted(`the database is dirty at version ${step.targetVersion}; \`pgshift up\` finishes the file once the cause is fixed`);
  }
}

/**
 * The dirty version is a non-transactional up file a killed run was running, unchanged since: finish it
 * before anything else. A concurrent index the server completed on its own is recorded as applied; every
 * other case runs the file again (an INVALID index is dropped first, a backfill continues).
 */
async function finishInterrupted(
  conns: RunConnections, book: Bookkeeping, options: ResolvedOptions, migrations: readonly Migration[],
  diagnosis: Extract<DirtyDiagnosis, { kind: 'resumable' }>,
): Promise<StepResult | null> {
  const { version, migration } = diagnosis;
  const step: PlannedStep = { version, direction: 'up', file: migration.up!, targetVersion: version, fromVersion: previousVersion(migrations, version) };
  const item = prepare(step);
  options.emit({ kind: 'resume', version, message: `finishing ${step.file.fileName}, which an interrupted run left dirty: pgshift ${diagnosis.what}` });
  const kind = item.analysis.statementKind;
  if (diagnosis.how === 'index' && kind.kind === 'create-index-concurrently' && kind.table && kind.index) {
    const state = await inspectIndex(conns.work, kind.table, kind.index, item.analysis.statements[0]!.text);
    if (state.kind === 'valid' && state.matches) {
      await setVersion(conns.work, book, version, false, { kind: 'record', version, name: step.file.fileName, checksum: item.checksum });
      options.emit({ kind: 'resume', version, message: `index ${state.name} is VALID and is the one ${step.file.fileName} builds: recorded version ${version} as applied` });
      return null;
    }
    if (state.kind === 'valid') {
      throw new PgshiftError('DIRTY', `Dirty database version ${version}: an index ${state.name} exists but is not the one ${step.file.fileName} builds (${state.definition})`, {
        hint: forceAdvice(version, step.fromVersion),
      });
    }
  }
  return runStep(conns, book, options, item);
}
