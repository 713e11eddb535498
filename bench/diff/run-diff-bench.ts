/**
 * The diff-speed benchmark: for each size N, a generated N-entity project, its schema built by TypeORM's
 * synchronize on a fresh database, one column widened in one entity, then whole-process timings of
 * TypeORM's `migration:generate --dryrun` and pgshift's `gen diff --dry-run` against that database,
 * interleaved run by run so drift on the machine hits both alike.
 */
import { cpSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dropDatabase, withPort } from '../lib/admin-db';
import { machineFacts } from '../lib/machine';
import { WORK_DIR } from '../lib/paths';
import { genDiffArgs, parseCaches, pgshiftGenDiff, pgshiftHasGenDiff } from '../lib/pgshift-process';
import { startRoundTripCounter, type RoundTripCounts } from '../lib/round-trip-counter';
import { median } from '../lib/stats';
import { tail, type ProcessResult } from '../lib/timed-process';
import { typeormGenerateDryRun, typeormSynchronize } from '../lib/typeorm-process';
import { freshMigrationsDir, writeEntityFile, writeProject } from '../lib/project-files';
import { CHANGED_SHAPE, changedEntityIndex, entitySource, fileName, projectEntityFiles, tableName } from './entity-source';
import type { DiffBenchResult, DiffSizeResult, EngineDiffTiming } from './diff-result';

export interface DiffBenchOptions {
  readonly adminUrl: string;
  readonly sizes: readonly number[];
  readonly runs: number;
  /** Scratch folder for the generated projects (default bench/.work/diff). */
  readonly workDir?: string;
  /** Prefix of the databases it creates and drops (tests pass a unique one). */
  readonly databasePrefix?: string;
  readonly command?: string;
  readonly log?: (line: string) => void;
}

/** The pgshift targets from issue #13 (#5 asked for 0.5 and 0.25): whole-process time relative to TypeORM's. */
export function ratioTarget(tables: number): number {
  return tables >= 1000 ? 0.1 : 0.2;
}

/** pgshift `--verbose` prints `timings (ms): {"load entities":237,…}`; anything else yields undefined. */
export function parseTimeSplit(verbose: string | undefined): Record<string, number> | undefined {
  const match = verbose?.match(/timings \(ms\): (\{.*\})/);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!) as Record<string, number>;
  } catch {
    return undefined;
  }
}

function preview(text: string, lines = 30): string {
  return text.trim().split('\n').slice(0, lines).join('\n');
}

/** Only the SQL of TypeORM's printed migration file, which is otherwise mostly boilerplate. */
function typeormSqlPreview(stdout: string): string {
  const queries = stdout.split('\n').filter((line) => line.includes('queryRunner.query('));
  return preview(queries.map((line) => line.trim()).join('\n'), 20);
}

interface EngineRunner {
  /** `pgshift-edited`: pgshift on a copy of the project whose changed entity is edited before every run. */
  readonly name: 'typeorm' | 'pgshift' | 'pgshift-edited';
  run(databaseUrl: string, verbose?: boolean): Promise<ProcessResult>;
  accept(result: ProcessResult): boolean;
}

async function countRoundTrips(engine: EngineRunner, databaseUrl: string): Promise<RoundTripCounts> {
  const url = new URL(databaseUrl);
  const counter = await startRoundTripCounter(url.hostname, Number(url.port || 5432));
  try {
    await engine.run(withPort(databaseUrl, counter.port));
    return { ...counter.counts };
  } finally {
    await counter.close();
  }
}

async function measureEngines(engines: EngineRunner[], databaseUrl: string, runs: number, log: (line: string) => void): Promise<Map<string, EngineDiffTiming>> {
  const firsts = new Map<string, ProcessResult>();
  const timings = new Map<string, number[]>();
  const cpuTimings = new Map<string, number[]>();
  const cacheRuns = new Map<string, Record<string, string>[]>();
  const failures = new Map<string, ProcessResult>();
  for (const engine of engines) {
    const first = await engine.run(databaseUrl);
    firsts.set(engine.name, first);
    timings.set(engine.name, []);
    cpuTimings.set(engine.name, []);
    cacheRuns.set(engine.name, []);
    if (!engine.accept(first)) failures.set(engine.name, first);
    log(`  ${engine.name}: first run ${Math.round(first.ms)} ms (exit ${first.exitCode})`);
  }
  for (let r = 0; r < runs; r += 1) {
    // Alternate which engine goes first so neither always runs on a warmer machine.
    const order = r % 2 === 0 ? engines : [...engines].reverse();
    for (const engine of order) {
      if (failures.has(engine.name)) continue;
      const result = await engine.run(databaseUrl);
      if (!engine.accept(result)) failures.set(engine.name, result);
      else {
        timings.get(engine.name)!.push(result.ms);
        if (result.cpuMs !== undefined) cpuTimings.get(engine.name)!.push(result.cpuMs);
        const caches = parseCaches(result.stderr);
        if (caches) cacheRuns.get(engine.name)!.push(caches);
      }
    }
    log(`  run ${r + 1}/${runs}: ${engines.map((e) => `${e.name} ${Math.round(timings.get(e.name)!.at(-1) ?? NaN)} ms`).join(', ')}`);
  }
  const out = new Map<string, EngineDiffTiming>();
  for (const engine of engines) {
    const first = firsts.get(engine.name)!;
    const failure = failures.get(engine.name);
    const runsMs = timings.get(engine.name)!;
    // The edited runs read the database as the warm ones do: their round trips are not counted again.
    const roundTrips = failure || engine.name === 'pgshift-edited' ? undefined : await countRoundTrips(engine, databaseUrl);
    const verbose = engine.name === 'pgshift' && !failure ? (await engine.run(databaseUrl, true)).stderr : undefined;
    out.set(engine.name, {
      status: failure ? 'failed' : 'ok',
      note: failure ? `exit ${failure.exitCode}${failure.timedOut ? ' (timed out)' : ''}: ${tail(failure.stderr || failure.stdout)}` : undefined,
      runsMs,
      medianMs: median(runsMs),
      cpuRunsMs: cpuTimings.get(engine.name)!,
      medianCpuMs: median(cpuTimings.get(engine.name)!),
      firstRunMs: first.ms,
      roundTrips,
      exitCode: first.exitCode,
      outputPreview: engine.name === 'typeorm' ? typeormSqlPreview(first.stdout) : preview(first.stdout),
      verbose: verbose === undefined ? undefined : preview(verbose, 60),
      timeSplitMs: parseTimeSplit(verbose),
      caches: cacheRuns.get(engine.name)!.length > 0 ? cacheRuns.get(engine.name) : undefined,
    });
  }
  return out;
}

function countForeignKeys(tables: number): number {
  let count = 0;
  for (let i = 1; i <= tables; i += 1) count += (i > 1 ? 1 : 0) + (i > 2 && i % 4 === 0 ? 1 : 0);
  return count;
}

function countIndexes(tables: number): number {
  // The declared ones: `name`, (status, created_at), and the unique email of every third table. TypeORM
  // creates no index for FK columns.
  return tables * 2 + Math.floor(tables / 3);
}

async function benchOneSize(options: DiffBenchOptions, tables: number, hasPgshift: boolean, log: (line: string) => void): Promise<DiffSizeResult> {
  const projectDir = join(options.workDir ?? join(WORK_DIR, 'diff'), `n${tables}`);
  const files = projectEntityFiles(tables);
  // A per-run marker makes every file new to pgshift's transpile cache, so its first run is truly cold.
  const marker = `// bench run ${Date.now()}\n`;
  for (const [file, source] of files) files.set(file, marker + source);
  writeProject(projectDir, files);
  const database = `${options.databasePrefix ?? 'pgshift_bench'}_diff_${tables}`;
  const databaseUrl = await createDatabase(options.adminUrl, database);
  try {
    log(`N=${tables}: synchronize …`);
    const synchronizeMs = await typeormSynchronize(projectDir, databaseUrl);
    log(`N=${tables}: synchronize took ${Math.round(synchronizeMs)} ms`);
    const changed = changedEntityIndex(tables);
    writeEntityFile(projectDir, fileName(changed), marker + entitySource(changed, CHANGED_SHAPE));
    const migrationsDir = freshMigrationsDir(projectDir);
    const engines: EngineRunner[] = [
      {
        name: 'typeorm',
        run: (url) => typeormGenerateDryRun(projectDir, url, { measureCpu: true }),
        accept: (r) => r.exitCode === 0 && r.stdout.includes('queryRunner.query('),
      },
    ];
    if (hasPgshift) {
      // The dry run must find the change: a "No changes" answer would time the wrong thing.
      const accept = (r: ProcessResult) => r.exitCode === 0 && !/no changes/i.test(r.stdout);
      // Every pgshift run is --verbose: its `caches:` line says which caches the figure ran with.
      engines.push({
        name: 'pgshift',
        run: (url) => pgshiftGenDiff({ projectDir, migrationsDir, databaseUrl: url, dryRun: true, verbose: true, measureCpu: true }),
        accept,
      });
      // The first run after an entity edit: its own copy of the project, so the warm figure above stays warm.
      const editedDir = `${projectDir}-edited`;
      rmSync(editedDir, { recursive: true, force: true });
      cpSync(projectDir, editedDir, { recursive: true });
      let edits = 0;
      engines.push({
        name: 'pgshift-edited',
        run: (url) => {
          edits += 1;
          writeEntityFile(editedDir, fileName(changed), marker + entitySource(changed, { nameLength: CHANGED_SHAPE.nameLength + edits }));
          return pgshiftGenDiff({ projectDir: editedDir, migrationsDir: join(editedDir, 'migrations'), databaseUrl: url, dryRun: true, verbose: true, measureCpu: true });
        },
        accept,
      });
    }
    const loadStart = loadavg()[0]!;
    const timings = await measureEngines(engines, databaseUrl, options.runs, log);
    const loadEnd = loadavg()[0]!;
    const typeorm = timings.get('typeorm')!;
    const pgshift: EngineDiffTiming = timings.get('pgshift') ?? {
      status: 'unavailable',
      note: `\`${genDiffArgs({ projectDir: '.', migrationsDir: 'migrations', databaseUrl: '…', dryRun: true }).slice(1).join(' ')}\` is not in this checkout yet`,
      runsMs: [],
      medianMs: Number.NaN,
      cpuRunsMs: [],
      medianCpuMs: Number.NaN,
    };
    const both = typeorm.status === 'ok' && pgshift.status === 'ok';
    const ratio = both ? pgshift.medianMs / typeorm.medianMs : null;
    const pgshiftEdited = timings.get('pgshift-edited');
    const ratioEdited = pgshiftEdited?.status === 'ok' && typeorm.status === 'ok' ? pgshiftEdited.medianMs / typeorm.medianMs : null;
    const cpuRatio = both && Number.isFinite(pgshift.medianCpuMs / typeorm.medianCpuMs) ? pgshift.medianCpuMs / typeorm.medianCpuMs : null;
    return {
      tables,
      columnsPerTable: 8,
      foreignKeys: countForeignKeys(tables),
      indexes: countIndexes(tables),
      synchronizeMs,
      change: `${tableName(changed)}.name varchar(120) → varchar(160)`,
      typeorm,
      pgshift,
      pgshiftEdited,
      ratio,
      ratioEdited,
      cpuRatio,
      target: ratioTarget(tables),
      loadAverage: { start: loadStart, end: loadEnd },
    };
  } finally {
    await dropDatabase(options.adminUrl, database);
  }
}

export async function runDiffBench(options: DiffBenchOptions): Promise<DiffBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const machine = await machineFacts(options.adminUrl);
  const hasPgshift = await pgshiftHasGenDiff(process.cwd());
  if (!hasPgshift) log('pgshift `gen diff` is not available in this checkout: measuring TypeORM only');
  const sizes: DiffSizeResult[] = [];
  for (const tables of options.sizes) sizes.push(await benchOneSize(options, tables, hasPgshift, log));
  return { machine, command: options.command ?? 'npm run bench:diff', runsPerSize: options.runs, sizes };
}
