/**
 * `pgshift baseline` adopts a database pgshift never built: TypeORM's synchronize, TypeORM's migrations.
 * Nothing in the database changes but the bookkeeping; afterwards `check` is 0 live and on the shadow,
 * and the next `gen diff` diffs from there.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataSource } from '../../src/entity-loader';
import { checksumOf } from '../../src/runner/checksum';
import { catalogSnapshot, rowCounts } from '../helpers/catalog-snapshot';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { synchronizeWithTypeorm } from '../helpers/typeorm-sync';

const BEFORE = 'test/fixtures/evolve/before.ts';
const CHANGED = 'test/fixtures/evolve/add-nullable-column.ts';
const BOOKKEEPING = ['schema_migrations', 'pgshift_migrations', 'schema_migrations_pkey', 'pgshift_migrations_pkey'];

async function withClient<T>(db: TestDatabase, fn: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Adopts the database as a project that ran TypeORM's migrations would: its schema and a `migrations` row. */
async function migrateWithTypeorm(configPath: string, url: string): Promise<void> {
  const { dataSource: loaded } = await loadDataSource(configPath, { cwd: REPO_ROOT });
  const probe = new DataSource({ ...loaded.options, url, migrations: [], synchronize: false, logging: false } as DataSourceOptions);
  await probe.initialize();
  const sql = await probe.driver.createSchemaBuilder().log();
  await probe.destroy();
  class Init1700000000000 implements MigrationInterface {
    name = 'Init1700000000000';
    async up(runner: QueryRunner): Promise<void> {
      for (const q of sql.upQueries) await runner.query(q.query, q.parameters);
    }
    async down(runner: QueryRunner): Promise<void> {
      for (const q of sql.downQueries) await runner.query(q.query, q.parameters);
    }
  }
  const ds = new DataSource({ ...loaded.options, url, migrations: [Init1700000000000], synchronize: false, logging: false } as DataSourceOptions);
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

describe('pgshift baseline', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('pgshift_baseline');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-baseline-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adopts a synchronize-built database with rows: only the bookkeeping changes, then check is 0 live and on the shadow', async () => {
    await synchronizeWithTypeorm(BEFORE, db.url);
    await db.query(`INSERT INTO owners (label) SELECT 'o' || g FROM generate_series(1, 50) g`);
    await db.query(`INSERT INTO accounts (name, score) SELECT 'a' || g, g FROM generate_series(1, 200) g`);
    const before = await withClient(db, async (c) => ({ catalog: await catalogSnapshot(c, { storage: true }), rows: await rowCounts(c) }));

    const result = await runCli(['baseline', '-c', BEFORE, '-d', dir, '--database-url', db.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('recorded version 1 as applied');
    expect(readdirSync(dir).sort()).toEqual(['000001_baseline.down.sql', '000001_baseline.up.sql']);

    const after = await withClient(db, async (c) => ({ catalog: await catalogSnapshot(c, { storage: true, exclude: BOOKKEEPING }), rows: await rowCounts(c) }));
    expect(after.catalog).toEqual(before.catalog);
    const { 'public.schema_migrations': version, 'public.pgshift_migrations': checksums, ...userRows } = after.rows;
    expect(userRows).toEqual(before.rows);
    expect([version, checksums]).toEqual([1, 1]);
    expect(await db.query('SELECT version::int AS version, dirty FROM schema_migrations')).toEqual([{ version: 1, dirty: false }]);
    const [recorded] = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM pgshift_migrations');
    expect(recorded).toEqual({ name: '000001_baseline.up.sql', checksum: checksumOf(readFileSync(join(dir, '000001_baseline.up.sql'))) });

    const live = await runCli(['check', '-c', BEFORE, '-d', dir, '--database-url', db.url]);
    expect(live.stdout + live.stderr).toContain('In sync');
    expect(live.code).toBe(0);
    const status = await runCli(['status', '-d', dir, '--database-url', db.url]);
    expect(status.code).toBe(0);

    // The next entity change diffs from the baseline: one new pair, applied by `up`, and check is 0 again.
    const next = await runCli(['gen', 'diff', 'add_note', '-c', CHANGED, '-d', dir, '--database-url', db.url]);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('000002_'))).toHaveLength(2);
    expect((await runCli(['up', '-d', dir, '--database-url', db.url])).code).toBe(0);
    expect((await runCli(['check', '-c', CHANGED, '-d', dir, '--database-url', db.url])).code).toBe(0);
    // The shadow replays the baseline and the new pair: the same answer as the database.
    const shadow = await runCli(['check', '-c', CHANGED, '-d', dir], { env: { DATABASE_URL: undefined } });
    expect(shadow.stdout + shadow.stderr).toContain('In sync');
    expect(shadow.code).toBe(0);
  }, 240_000); // Seven CLI runs, one with an embedded shadow.

  it('adopts a TypeORM-migrations project and leaves its migrations table alone', async () => {
    await migrateWithTypeorm(BEFORE, db.url);
    const before = await db.query('SELECT * FROM migrations ORDER BY id');
    expect(before).toHaveLength(1);

    const result = await runCli(['baseline', '-c', BEFORE, '-d', dir, '--database-url', db.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/table migrations \(TypeORM's migrations table, 1 applied; left alone\)/);
    expect(await db.query('SELECT * FROM migrations ORDER BY id')).toEqual(before);
    expect(readFileSync(join(dir, '000001_baseline.up.sql'), 'utf8')).not.toMatch(/"?migrations"? \(/);

    const live = await runCli(['check', '-c', BEFORE, '-d', dir, '--database-url', db.url]);
    expect(live.code).toBe(0);
    const shadow = await runCli(['check', '-c', BEFORE, '-d', dir], { env: { DATABASE_URL: undefined } });
    expect(shadow.stdout).toContain('In sync');
    expect(shadow.code).toBe(0);
  }, 180_000);

  it('refuses a database golang-migrate or pgshift already tracks, and a second baseline', async () => {
    await synchronizeWithTypeorm(BEFORE, db.url);
    expect((await runCli(['baseline', '-c', BEFORE, '-d', dir, '--database-url', db.url])).code).toBe(0);
    const again = await runCli(['baseline', '-c', BEFORE, '-d', dir, '--database-url', db.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: the database is already under golang-migrate\/pgshift .*version 1/);
    expect(again.stderr).toContain('hint:');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('writes nothing and records nothing when the files cannot be written', async () => {
    await synchronizeWithTypeorm(BEFORE, db.url);
    // The folder cannot be created (a file stands where its parent should be): the bookkeeping is undone.
    writeFileSync(join(dir, 'blocker'), '');
    const result = await runCli(['baseline', '-c', BEFORE, '-d', join(dir, 'blocker', 'migrations'), '--database-url', db.url]);
    expect(result.stderr).toMatch(/^error: cannot create the migrations folder .*nothing was written\n$/);
    expect(result.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['blocker']);
    expect(await db.query(`SELECT to_regclass('schema_migrations')::text AS v, to_regclass('pgshift_migrations')::text AS c`)).toEqual([{ v: null, c: null }]);
  });

  it('needs a database URL', async () => {
    const result = await runCli(['baseline', '-c', BEFORE, '-d', dir], { env: { DATABASE_URL: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: baseline needs the database to adopt\nhint: /);
  });
});
