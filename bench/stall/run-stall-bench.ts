/**
 * The write-stall benchmark. One seeded "before" database (TypeORM synchronize + generate_series) serves
 * as the template; for each plan kind and each engine a fresh copy gets the engine's plan for the kind's
 * "after" entities, applied while two writers play the running app. Per kind and engine it records the
 * longest single write, writer errors, the migration's total time and whether the column's data survived.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { withClient, createDatabase, dropDatabase } from '../lib/admin-db';
import { machineFacts } from '../lib/machine';
import { WORK_DIR } from '../lib/paths';
import { PGSHIFT_EXIT, pgshiftGenDiff, pgshiftHasGenDiff } from '../lib/pgshift-process';
import { freshMigrationsDir, writeProject } from '../lib/project-files';
import { tail } from '../lib/timed-process';
import { typeormSchemaLog, typeormSynchronize } from '../lib/typeorm-process';
import { applyMigrationFiles, upFiles, type MigrationRun } from './apply-migration-files';
import { backfillFiles, measurePlainUpdate, type BackfillBaseline } from './backfill-baseline';
import { bulkWriteFloor, checkpointCount } from './bulk-write-floor';
import { applyTypeormQueries } from './apply-typeorm-sql';
import { checkColumn, snapshotColumn } from './data-check';
import { BEFORE_SHAPE, stallEntityFiles } from './items-entity-source';
import { selectKinds, type StallKind } from './kinds';
import { seedItems } from './seed';
import type { StallBenchResult, StallEngineResult, StallKindResult } from './stall-result';
import { startWriters, type WriterStats } from './writers';

export interface StallBenchOptions {
  readonly adminUrl: string;
  readonly rows: number;
  /** Kind ids (see kinds.ts); all when empty. */
  readonly kinds?: readonly string[];
  /** Engines to measure (default both); a skipped one is recorded as not measured. */
  readonly engines?: readonly Engine[];
  readonly thinkMs?: number;
  /** Writers run this long before the migration starts, so the first write is not the migration's. */
  readonly warmupMs?: number;
  /** How long the writers run with no migration for the noise floor (default 10 s; the smoke test's toy run needs less). */
  readonly idleMs?: number;
  /** Ceiling for any one statement (migration and writers), so nothing can hang the run. */
  readonly statementTimeoutMs?: number;
  readonly workDir?: string;
  /** Prefix of the databases it creates and drops (tests pass a unique one). */
  readonly databasePrefix?: string;
  readonly command?: string;
  readonly log?: (line: string) => void;
}

export type Engine = 'pgshift' | 'typeorm';

interface PreparedPlan {
  readonly plan: string[];
  /** pgshift's migrations folder (for the backfill baselines). */
  readonly migrationsDir?: string;
  /** `deployNewApp` is called between a plan's expand and contract files, as a real rollout would. */
  apply(databaseUrl: string, deployNewApp: () => void): Promise<MigrationRun>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function notRun(status: StallEngineResult['status'], note: string, plan: string[] = []): StallEngineResult {
  return { status, note, plan, migrationMs: null, longestWriteMs: null, writes: 0, writerErrors: 0, writerErrorMessages: {}, data: null };
}

async function preparePgshift(kind: StallKind, projectDir: string, databaseUrl: string, statementTimeoutMs: number): Promise<PreparedPlan | StallEngineResult> {
  const migrationsDir = freshMigrationsDir(projectDir);
  const result = await pgshiftGenDiff({ projectDir, migrationsDir, databaseUrl, name: kind.id.replace(/-/g, '_'), decisionArgs: kind.decisionArgs });
  if (result.exitCode === PGSHIFT_EXIT.decision) return notRun('decision', tail(result.stderr || result.stdout));
  if (result.exitCode !== PGSHIFT_EXIT.ok) return notRun('failed', `gen diff exit ${result.exitCode}: ${tail(result.stderr || result.stdout)}`);
  const files = upFiles(migrationsDir);
  if (files.length === 0) return notRun('failed', `gen diff wrote no migration: ${tail(result.stdout)}`);
  const plan = [...files];
  return {
    plan,
    migrationsDir,
    async apply(url, deployNewApp) {
      const expand = await applyMigrationFiles(url, migrationsDir, statementTimeoutMs);
      if (!expand.ok || pendingContracts(migrationsDir) === 0) return expand;
      // The change is complete only after its contract steps (the app is assumed switched by then), so
      // they are generated and applied too; generating them is not migration time. `--quiet-for 0`: the
      // bench's writers never touch the old shape, and waiting out the default 24h is not what it measures.
      const contract = await pgshiftGenDiff({ projectDir, migrationsDir, databaseUrl: url, name: 'contract', extraArgs: ['--contract', '--quiet-for', '0'] });
      if (contract.exitCode !== PGSHIFT_EXIT.ok) {
        return { ...expand, ok: false, error: `gen diff --contract exit ${contract.exitCode}: ${tail(contract.stderr || contract.stdout)}` };
      }
      plan.push(...upFiles(migrationsDir).filter((f) => !files.includes(f)).map((f) => `${f} (contract)`));
      deployNewApp();
      const rest = await applyMigrationFiles(url, migrationsDir, statementTimeoutMs);
      return { ok: rest.ok, totalMs: expand.totalMs + rest.totalMs, files: [...expand.files, ...rest.files], error: rest.error };
    },
  };
}

/** Contract steps `gen diff` recorded in the folder for a later `gen diff --contract`. */
function pendingContracts(migrationsDir: string): number {
  // One record per pending step in pgshift-contract/, and the single file of earlier versions.
  const records = join(migrationsDir, 'pgshift-contract');
  const paths = [
    join(migrationsDir, 'pgshift-contract.json'),
    ...(existsSync(records) ? readdirSync(records).filter((n) => n.endsWith('.json')).map((n) => join(records, n)) : []),
  ];
  return paths.filter((p) => existsSync(p)).reduce((sum, p) => sum + ((JSON.parse(readFileSync(p, 'utf8')) as { pending?: unknown[] }).pending?.length ?? 0), 0);
}

async function prepareTypeorm(projectDir: string, databaseUrl: string, statementTimeoutMs: number): Promise<PreparedPlan | StallEngineResult> {
  const log = await typeormSchemaLog(projectDir, databaseUrl);
  if (log.up.length === 0) return notRun('failed', 'TypeORM found no changes');
  return { plan: log.up.map((q) => q.query), apply: (url) => applyTypeormQueries(url, log.up, statementTimeoutMs) };
}

/** Which file ran when the longest write started: the lock or batch it waited for. */
function fileDuring(files: readonly { file: string; ms: number; startedAt?: number }[], at: number): string | null {
  return files.find((f) => f.startedAt !== undefined && at >= f.startedAt && at <= f.startedAt + f.ms)?.file ?? null;
}

function mergeWriterStats(stats: WriterStats[]): Pick<StallEngineResult, 'longestWriteMs' | 'writes' | 'writerErrors' | 'writerErrorMessages'> {
  const writerErrorMessages: Record<string, number> = {};
  for (const s of stats) for (const [m, n] of Object.entries(s.errorMessages)) writerErrorMessages[`${s.role}: ${m}`] = n;
  return {
    longestWriteMs: Math.max(...stats.map((s) => s.longestWriteMs)),
    writes: stats.reduce((sum, s) => sum + s.writes, 0),
    writerErrors: stats.reduce((sum, s) => sum + s.errors, 0),
    writerErrorMessages,
  };
}

async function runEngine(options: Required<Omit<StallBenchOptions, 'kinds' | 'command' | 'log' | 'engines'>>, kind: StallKind, engine: Engine, template: string, hasPgshift: boolean, log: (line: string) => void): Promise<StallEngineResult> {
  if (engine === 'pgshift' && !hasPgshift) return notRun('unavailable', 'pgshift `gen diff` is not in this checkout yet');
  const projectDir = join(options.workDir, kind.id);
  const database = `${options.databasePrefix}_stall_${kind.id.replace(/-/g, '_')}_${engine}`;
  const databaseUrl = await createDatabase(options.adminUrl, database, template, options.rows >= 100_000);
  try {
    const prepared = engine === 'pgshift'
      ? await preparePgshift(kind, projectDir, databaseUrl, options.statementTimeoutMs)
      : await prepareTypeorm(projectDir, databaseUrl, options.statementTimeoutMs);
    if (!('apply' in prepared)) {
      log(`  ${engine}: ${prepared.status} — ${(prepared.note ?? '').split('\n')[0]}`);
      return prepared;
    }
    const checksumBefore = await withClient(databaseUrl, (c) => snapshotColumn(c, kind.affected, options.rows));
    const writerOptions = {
      seededRows: options.rows,
      thinkMs: options.thinkMs,
      statementTimeoutMs: options.statementTimeoutMs,
      maxMs: options.statementTimeoutMs * 4,
      newAppInsert: kind.newAppInsert,
    };
    const writers = await startWriters(databaseUrl, writerOptions);
    await sleep(options.warmupMs);
    const loadAverage = loadavg()[0]!;
    const checkpointsBefore = await withClient(databaseUrl, checkpointCount);
    const run: MigrationRun = await prepared.apply(databaseUrl, () => writers.deployNewApp()).catch((error: unknown) => ({
      ok: false, totalMs: 0, files: [], error: `could not run the migration: ${(error as Error).message}`,
    }));
    // Stopped as soon as the migration ends: what counts is how the app fared while it ran.
    const stats = await writers.stop();
    const checkpointsAfter = await withClient(databaseUrl, checkpointCount);
    const longestAt = stats.reduce((a, b) => (b.longestWriteMs > a.longestWriteMs ? b : a)).longestWriteAt;
    const data = await withClient(databaseUrl, (c) => checkColumn(c, kind.affected, options.rows, checksumBefore));
    const backfills = engine === 'pgshift' && run.ok && prepared.migrationsDir
      ? await baselines(options, kind, engine, template, prepared.migrationsDir, run, writerOptions, log)
      : undefined;
    const result: StallEngineResult = {
      status: run.ok ? 'ok' : 'failed',
      note: run.error,
      plan: prepared.plan,
      migrationMs: run.totalMs,
      ...mergeWriterStats(stats),
      longestWriteDuring: fileDuring(run.files, longestAt),
      // Wall-clock time, to line the write up with the server's log (checkpoints, lock waits).
      longestWriteStartedAt: new Date(longestAt).toISOString(),
      files: run.files.length > 0 ? run.files : undefined,
      data,
      loadAverage,
      checkpoints: checkpointsBefore === null || checkpointsAfter === null ? null : checkpointsAfter - checkpointsBefore,
      ...(backfills && backfills.length > 0 ? { backfills } : {}),
    };
    log(`  ${engine}: ${result.status}, migration ${result.migrationMs} ms, longest write ${Math.round(result.longestWriteMs ?? 0)} ms (at ${result.longestWriteStartedAt}, ${result.checkpoints ?? '?'} checkpoints meanwhile), ${result.writerErrors} writer errors, data ${data.verdict}`);
    return result;
  } finally {
    await dropDatabase(options.adminUrl, database);
  }
}

/** One plain UPDATE per batched backfill of the run, each on its own fresh copy (backfill-baseline.ts). */
async function baselines(
  options: Required<Omit<StallBenchOptions, 'kinds' | 'command' | 'log' | 'engines'>>, kind: StallKind, engine: Engine, template: string,
  migrationsDir: string, run: MigrationRun, writerOptions: Parameters<typeof startWriters>[1], log: (line: string) => void,
): Promise<BackfillBaseline[]> {
  const out: BackfillBaseline[] = [];
  for (const file of backfillFiles(run.files, migrationsDir)) {
    const database = `${options.databasePrefix}_stall_${kind.id.replace(/-/g, '_')}_${engine}_plain`;
    const url = await createDatabase(options.adminUrl, database, template, options.rows >= 100_000);
    try {
      const baseline = await measurePlainUpdate(url, migrationsDir, file, writerOptions, options.warmupMs);
      log(`    ${file.file}: batched ${baseline.backfillMs} ms vs one plain UPDATE ${baseline.plainUpdateMs ?? '—'} ms (ratio ${baseline.ratio?.toFixed(2) ?? '—'}), plain UPDATE's longest write ${Math.round(baseline.plainLongestWriteMs ?? 0)} ms`);
      out.push(baseline);
    } finally {
      await dropDatabase(options.adminUrl, database);
    }
  }
  return out;
}

/** The same writers on a fresh copy with no migration: what the machine alone does to one write. */
async function idleLongestWrite(options: Required<Omit<StallBenchOptions, 'kinds' | 'command' | 'log' | 'engines'>>, template: string): Promise<number> {
  const database = `${options.databasePrefix}_stall_idle`;
  const url = await createDatabase(options.adminUrl, database, template, options.rows >= 100_000);
  try {
    const writers = await startWriters(url, { seededRows: options.rows, thinkMs: options.thinkMs, statementTimeoutMs: options.statementTimeoutMs, maxMs: options.idleMs * 2 });
    await sleep(options.warmupMs);
    await sleep(options.idleMs);
    const stats = await writers.stop();
    return Math.max(...stats.map((s) => s.longestWriteMs));
  } finally {
    await dropDatabase(options.adminUrl, database);
  }
}

export async function runStallBench(options: StallBenchOptions): Promise<StallBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings = {
    adminUrl: options.adminUrl,
    rows: options.rows,
    thinkMs: options.thinkMs ?? 2,
    warmupMs: options.warmupMs ?? 1000,
    idleMs: options.idleMs ?? 10_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 300_000,
    workDir: options.workDir ?? join(WORK_DIR, 'stall'),
    databasePrefix: options.databasePrefix ?? 'pgshift_bench',
  };
  const kinds = selectKinds(options.kinds);
  const machine = await machineFacts(options.adminUrl);
  const hasPgshift = await pgshiftHasGenDiff(process.cwd());
  if (!hasPgshift) log('pgshift `gen diff` is not available in this checkout: measuring TypeORM only');
  const beforeDir = join(settings.workDir, 'before');
  writeProject(beforeDir, stallEntityFiles(BEFORE_SHAPE));
  for (const kind of kinds) writeProject(join(settings.workDir, kind.id), stallEntityFiles(kind.after));
  const template = `${settings.databasePrefix}_stall_template`;
  const templateUrl = await createDatabase(settings.adminUrl, template);
  try {
    await typeormSynchronize(beforeDir, templateUrl);
    const seedStarted = Date.now();
    await seedItems(templateUrl, settings.rows);
    const seedMs = Date.now() - seedStarted;
    log(`seeded ${settings.rows.toLocaleString('en-US')} rows in ${seedMs} ms`);
    const idleLongestWriteMs = await idleLongestWrite(settings, template);
    log(`no migration: the writers' longest write in ${settings.idleMs / 1000} s is ${Math.round(idleLongestWriteMs)} ms (the noise floor)`);
    const bulkFloor = await bulkWriteFloor(settings, template);
    log(`no migration, two full UPDATEs of a copy table (no lock in common, ${bulkFloor.bulkWriteMs} ms, ${bulkFloor.checkpoints ?? '?'} checkpoints): longest write ${Math.round(bulkFloor.longestWriteMs)} ms (the server's I/O floor)`);
    const results: StallKindResult[] = [];
    for (const kind of kinds) {
      log(`${kind.label}:`);
      const measured = (e: Engine) => !options.engines || options.engines.includes(e);
      const skipped = notRun('unavailable', 'not measured in this run (--engines)');
      const pgshift = measured('pgshift') ? await runEngine(settings, kind, 'pgshift', template, hasPgshift, log) : skipped;
      const typeorm = measured('typeorm') ? await runEngine(settings, kind, 'typeorm', template, hasPgshift, log) : skipped;
      results.push({ kind: kind.id, label: kind.label, pgshift, typeorm });
    }
    return { machine, command: options.command ?? 'npm run bench:stall', rows: settings.rows, thinkMs: settings.thinkMs, seedMs, idleLongestWriteMs, bulkWriteFloor: bulkFloor, kinds: results };
  } finally {
    await dropDatabase(settings.adminUrl, template);
  }
}
