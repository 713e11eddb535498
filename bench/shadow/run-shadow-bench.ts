/**
 * The shadow benchmark: `gen diff` against the default shadow (the warm server with its cached replay)
 * against the same diff on a live database at the folder's version, and a throwaway server per run (the
 * path before the warm shadow) for reference — whole processes, interleaved run by run, for two projects:
 * - the sample app of this repository (4 entities, 1 migration file), as `npx pgshift gen diff` runs it;
 * - a 100-table project (bench/diff's entities) whose schema is spread over 50 migration files (TypeORM's
 *   own DDL for the tables, two tables a file), with one column widened, as `gen diff --dry-run`.
 * Each figure says which caches it ran with (MODES below); every run is --verbose, and records the caches
 * it hit, so a figure labelled warm is shown to be.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { stopWarmServers } from '../../src/shadow/warm-server';
import { createDatabase, dropDatabase } from '../lib/admin-db';
import { machineFacts } from '../lib/machine';
import { PGSHIFT_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths';
import { freshMigrationsDir, writeEntityFile, writeProject } from '../lib/project-files';
import { median } from '../lib/stats';
import { runTimed, tail } from '../lib/timed-process';
import { parseCaches } from '../lib/pgshift-process';
import { typeormSchemaLog } from '../lib/typeorm-process';
import { CHANGED_SHAPE, changedEntityIndex, entitySource, fileName, projectEntityFiles, tableName } from '../diff/entity-source';
import type { ShadowBenchResult, ShadowCaseResult, ShadowModeTiming } from './shadow-result';

export interface ShadowBenchOptions {
  readonly adminUrl: string;
  readonly runs: number;
  /** Tables and files of the larger project (default 100 and 50). */
  readonly tables?: number;
  readonly files?: number;
  readonly workDir?: string;
  readonly databasePrefix?: string;
  readonly command?: string;
  readonly log?: (line: string) => void;
}

/** The issue's goal: the default path at most 1.5× the live one. */
export const SHADOW_TARGET = 1.5;

interface Case {
  readonly name: string;
  readonly projectDir: string;
  readonly tables: number;
  readonly migrationFiles: number;
  readonly args: string[];
  readonly liveUrl: string;
  /** Output a correct run prints (the change it must find, or "No changes"). */
  readonly expect: RegExp;
  /** A copy of the project for the `edited` mode, its command, its expected output, and the edit before run `r`. */
  readonly editedDir: string;
  readonly editedArgs: string[];
  readonly editedExpect: RegExp;
  edit(run: number): void;
}

async function pgshift(projectDir: string, args: readonly string[], env: Record<string, string>) {
  return runTimed(process.execPath, [PGSHIFT_BIN, ...args], { cwd: projectDir, env, timeoutMs: 300_000 });
}

async function applyFolder(projectDir: string, databaseUrl: string, env: Record<string, string>): Promise<void> {
  const up = await pgshift(projectDir, ['up', '-d', 'migrations', '--database-url', databaseUrl], env);
  if (up.exitCode !== 0) throw new Error(`pgshift up failed in ${projectDir}: ${tail(up.stderr || up.stdout)}`);
}

/** The sample app, copied so that nothing a run might write lands in the repository's migrations/. */
async function sampleCase(workDir: string, adminUrl: string, database: string, env: Record<string, string>): Promise<Case> {
  const projectDir = join(workDir, 'sample');
  rmSync(projectDir, { recursive: true, force: true });
  mkdirSync(projectDir, { recursive: true });
  for (const entry of ['ormconfig.ts', 'entities', 'migrations', 'tsconfig.json']) cpSync(join(REPO_ROOT, entry), join(projectDir, entry), { recursive: true });
  const liveUrl = await createDatabase(adminUrl, database);
  await applyFolder(projectDir, liveUrl, env);
  const editedDir = join(workDir, 'sample-edited');
  rmSync(editedDir, { recursive: true, force: true });
  cpSync(projectDir, editedDir, { recursive: true });
  const user = join(editedDir, 'entities', 'User.ts');
  const userSource = readFileSync(user, 'utf8');
  if (!userSource.includes('length: 255')) throw new Error('the sample\'s User entity no longer has `length: 255` to edit');
  return {
    name: 'sample app', projectDir, tables: 4, migrationFiles: 1, args: ['gen', 'diff'], liveUrl, expect: /No changes/,
    editedDir, editedArgs: ['gen', 'diff', '--dry-run'], editedExpect: /users/,
    edit: (run) => writeFileSync(user, userSource.replace('length: 255', `length: ${300 + run}`)),
  };
}

/** The table a TypeORM DDL statement is about: the first bench table it names. */
function tableOf(query: string): number {
  const match = /"entity_(\d{4})"/.exec(query);
  if (!match) throw new Error(`no bench table in: ${query.slice(0, 80)}`);
  return Number(match[1]);
}

/** N tables over `files` migration files: TypeORM's DDL for each table in the file of its number. */
async function largeCase(workDir: string, adminUrl: string, database: string, tables: number, files: number, env: Record<string, string>): Promise<Case> {
  const projectDir = join(workDir, `n${tables}-f${files}`);
  writeProject(projectDir, projectEntityFiles(tables));
  const liveUrl = await createDatabase(adminUrl, database);
  const { up } = await typeormSchemaLog(projectDir, liveUrl);
  const perFile = Math.ceil(tables / files);
  const dir = freshMigrationsDir(projectDir);
  for (let f = 1; f <= files; f += 1) {
    const first = (f - 1) * perFile + 1;
    const last = Math.min(tables, f * perFile);
    const sql = up.filter((q) => { const t = tableOf(q.query); return t >= first && t <= last; }).map((q) => `${q.query};\n`);
    const version = String(f).padStart(6, '0');
    writeFileSync(join(dir, `${version}_tables_${first}_${last}.up.sql`), sql.join(''));
    const drops = [];
    for (let t = last; t >= first; t -= 1) drops.push(`DROP TABLE "${tableName(t)}";\n`);
    writeFileSync(join(dir, `${version}_tables_${first}_${last}.down.sql`), drops.join(''));
  }
  await applyFolder(projectDir, liveUrl, env);
  const changed = changedEntityIndex(tables);
  writeEntityFile(projectDir, fileName(changed), entitySource(changed, CHANGED_SHAPE));
  const editedDir = `${projectDir}-edited`;
  rmSync(editedDir, { recursive: true, force: true });
  cpSync(projectDir, editedDir, { recursive: true });
  return {
    name: `${tables} tables, ${files} migration files`, projectDir, tables, migrationFiles: files,
    args: ['gen', 'diff', '--dry-run'], liveUrl, expect: new RegExp(tableName(changed)),
    editedDir, editedArgs: ['gen', 'diff', '--dry-run'], editedExpect: new RegExp(tableName(changed)),
    edit: (run) => writeEntityFile(editedDir, fileName(changed), entitySource(changed, { nameLength: CHANGED_SHAPE.nameLength + 2 + run })),
  };
}

/**
 * What each figure measures. The run caches (the entity model, the shadow's state: src/pipeline/*-cache.ts)
 * are warm in `shadow` and `live`; `shadow-nocache` and `live-nocache` turn them off (`--no-cache`: the warm
 * server with its cached replay template, as before the run caches); `edited` changes an entity before every
 * run in a copy of the project (a miss of both run caches and of the transpile cache for that file: the first
 * run after an edit); `throwaway` starts a server per run (PGSHIFT_WARM_SHADOW=0, run caches on).
 */
export const MODES = ['shadow', 'live', 'shadow-nocache', 'live-nocache', 'edited', 'throwaway'] as const;
type Mode = typeof MODES[number];

interface ModeRun {
  readonly ms: number;
  readonly caches: Record<string, string> | undefined;
}

async function runMode(c: Case, mode: Mode, env: Record<string, string>, run: number): Promise<ModeRun> {
  const live = mode === 'live' || mode === 'live-nocache';
  const args = [...(mode.endsWith('-nocache') ? ['--no-cache'] : []), '--verbose', ...(mode === 'edited' ? c.editedArgs : c.args), ...(live ? ['--database-url', c.liveUrl] : [])];
  if (mode === 'edited') c.edit(run);
  const result = await pgshift(mode === 'edited' ? c.editedDir : c.projectDir, args, { ...env, ...(mode === 'throwaway' ? { PGSHIFT_WARM_SHADOW: '0' } : {}) });
  if (result.exitCode !== 0 || !(mode === 'edited' ? c.editedExpect : c.expect).test(result.stdout)) {
    throw new Error(`${c.name}, ${mode}: exit ${result.exitCode}: ${tail(result.stderr || result.stdout)}`);
  }
  return { ms: result.ms, caches: parseCaches(result.stderr) };
}

const timing = (runs: ModeRun[]): ShadowModeTiming => ({
  runsMs: runs.map((r) => r.ms), medianMs: median(runs.map((r) => r.ms)), caches: runs.map((r) => r.caches ?? {}),
});

async function measure(c: Case, runs: number, env: Record<string, string>, log: (line: string) => void): Promise<ShadowCaseResult> {
  const loadStart = loadavg()[0]!;
  const coldMs = (await runMode(c, 'shadow', env, -1)).ms;
  log(`${c.name}: cold shadow run ${Math.round(coldMs)} ms`);
  for (const mode of ['live', 'edited'] as const) await runMode(c, mode, env, -1); // first runs (transpile cache) are not measured
  const times = Object.fromEntries(MODES.map((m) => [m, [] as ModeRun[]])) as Record<Mode, ModeRun[]>;
  for (let r = 0; r < runs; r += 1) {
    // Rotate which mode goes first so none always runs on a warmer machine.
    const order = [...MODES.slice(r % MODES.length), ...MODES.slice(0, r % MODES.length)];
    for (const mode of order) times[mode].push(await runMode(c, mode, env, r));
    log(`  run ${r + 1}/${runs}: ${MODES.map((m) => `${m} ${Math.round(times[m].at(-1)!.ms)} ms`).join(', ')}`);
  }
  const t = Object.fromEntries(MODES.map((m) => [m, timing(times[m])])) as Record<Mode, ShadowModeTiming>;
  return {
    name: c.name, tables: c.tables, migrationFiles: c.migrationFiles,
    command: `pgshift ${c.args.join(' ')}`, coldMs, shadow: t.shadow, live: t.live, throwaway: t.throwaway,
    shadowNoCache: t['shadow-nocache'], liveNoCache: t['live-nocache'], edited: t.edited,
    ratio: t.shadow.medianMs / t.live.medianMs, ratioNoCache: t['shadow-nocache'].medianMs / t['live-nocache'].medianMs, target: SHADOW_TARGET,
    loadAverage: { start: loadStart, end: loadavg()[0]! },
  };
}

export async function runShadowBench(options: ShadowBenchOptions): Promise<ShadowBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workDir = options.workDir ?? join(WORK_DIR, 'shadow');
  mkdirSync(workDir, { recursive: true });
  // A cache of its own: the cold run is really cold, and the user's warm server is never touched.
  const cache = mkdtempSync(join(workDir, 'cache-'));
  const env = { PGSHIFT_CACHE_DIR: cache, DATABASE_URL: '' };
  const prefix = options.databasePrefix ?? 'pgshift_bench';
  const databases = [`${prefix}_shadow_sample`, `${prefix}_shadow_large`];
  try {
    const machine = await machineFacts(options.adminUrl);
    const cases = [
      await sampleCase(workDir, options.adminUrl, databases[0]!, env),
      await largeCase(workDir, options.adminUrl, databases[1]!, options.tables ?? 100, options.files ?? 50, env),
    ];
    const results: ShadowCaseResult[] = [];
    for (const c of cases) results.push(await measure(c, options.runs, env, log));
    return { machine, command: options.command ?? 'npm run bench:shadow', runs: options.runs, cases: results };
  } finally {
    stopWarmServers(cache);
    rmSync(cache, { recursive: true, force: true });
    for (const database of databases) await dropDatabase(options.adminUrl, database).catch(() => undefined);
  }
}
