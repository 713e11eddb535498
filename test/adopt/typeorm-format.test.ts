/**
 * `gen diff --format typeorm`: the plan as TypeORM migration classes, run and reverted by TypeORM itself
 * (`runMigrations`, `undoLastMigration`) on real Postgres; the shadow replays the folder with TypeORM's
 * runner and live mode reads TypeORM's migrations table.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrationClasses } from '../../src/entity-loader/migration-classes';
import { readTypeormMigrationsDir } from '../../src/migrations-dir/typeorm-files';
import { resolveMigrationsFormat } from '../../src/pipeline/migrations-format';
import { catalogSnapshot } from '../helpers/catalog-snapshot';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const BEFORE = 'test/fixtures/evolve/before.ts';
const ADD_INDEX = 'test/fixtures/evolve/add-index.ts';
const NO_URL = { env: { DATABASE_URL: undefined } };

async function withTypeorm<T>(url: string, dir: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const migrations = await loadMigrationClasses(readTypeormMigrationsDir(dir).map((f) => f.path));
  const ds = new DataSource({ type: 'postgres', url, migrations, migrationsTransactionMode: 'each', logging: false });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

describe('gen diff --format typeorm', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('pgshift_tormfmt');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-typeorm-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes classes TypeORM runs and reverts; check is 0 on the shadow (TypeORM replay) and live (its migrations table)', async () => {
    const init = await runCli(['gen', 'diff', 'init', '--format', 'typeorm', '-c', BEFORE, '-d', dir], NO_URL);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const [first] = readdirSync(dir);
    expect(first).toBe('1000000000000-Init.ts');
    const source = readFileSync(join(dir, first!), 'utf8');
    expect(source).toContain("import type { MigrationInterface, QueryRunner } from 'typeorm';");
    expect(source).toContain('export class Init1000000000000 implements MigrationInterface');
    expect(source).toContain("name = 'Init1000000000000';");
    expect(source).not.toContain('transaction = false');

    await withTypeorm(db.url, dir, (ds) => ds.runMigrations({ transaction: 'each' }));
    await db.query(`INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 100) g`);
    expect((await runCli(['check', '-c', BEFORE, '-d', dir, '--database-url', db.url])).code).toBe(0);
    const before = await db.connect().then(async (c) => { try { return await catalogSnapshot(c); } finally { await c.end(); } });

    // An index on a populated table: a lone CREATE INDEX CONCURRENTLY, so `transaction = false`.
    const next = await runCli(['gen', 'diff', '--format', 'typeorm', '-c', ADD_INDEX, '-d', dir, '--database-url', db.url]);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    const added = readdirSync(dir).filter((f) => f !== first);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^1000000000001-\w+\.ts$/);
    const indexClass = readFileSync(join(dir, added[0]!), 'utf8');
    expect(indexClass).toContain('transaction = false;');
    expect(indexClass).toContain('CREATE INDEX CONCURRENTLY');

    // Live mode reads TypeORM's table: behind the folder → refused.
    const behind = await runCli(['check', '-c', ADD_INDEX, '-d', dir, '--database-url', db.url]);
    expect(behind.code).toBe(1);
    expect(behind.stderr).toMatch(/TypeORM migrations table is at Init1000000000000 .*1 pending/);

    await withTypeorm(db.url, dir, (ds) => ds.runMigrations({ transaction: 'each' }));
    expect((await runCli(['check', '-c', ADD_INDEX, '-d', dir, '--database-url', db.url])).code).toBe(0);
    // The folder holds only classes: check replays it with TypeORM's runner on the shadow.
    const shadow = await runCli(['check', '-c', ADD_INDEX, '-d', dir], NO_URL);
    expect(shadow.stdout).toContain('In sync');
    expect(shadow.code).toBe(0);

    // TypeORM's revert (it always opens a transaction) drops the index concurrently and restores the catalog.
    await withTypeorm(db.url, dir, (ds) => ds.undoLastMigration());
    const after = await db.connect().then(async (c) => { try { return await catalogSnapshot(c); } finally { await c.end(); } });
    expect(after).toEqual(before);
    expect((await db.query('SELECT name FROM migrations')).map((r) => r.name)).toEqual(['Init1000000000000']);
    await withTypeorm(db.url, dir, (ds) => ds.undoLastMigration());
    expect(await db.query(`SELECT to_regclass('accounts')::text AS t`)).toEqual([{ t: null }]);
  }, 240_000); // Eight CLI runs, two with an embedded shadow: a minute on a busy 2-core machine.

  it('takes the format from the project setting, else from what the folder holds', () => {
    const project = mkdtempSync(join(tmpdir(), 'pgshift-project-'));
    try {
      const configPath = join(project, 'ormconfig.ts');
      const migrations = join(project, 'migrations');
      expect(resolveMigrationsFormat({ configPath, dir: migrations })).toBe('sql');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', pgshift: { format: 'typeorm' } }));
      expect(resolveMigrationsFormat({ configPath, dir: migrations })).toBe('typeorm');
      expect(resolveMigrationsFormat({ flag: 'sql', configPath, dir: migrations })).toBe('sql');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', pgshift: { format: 'prisma' } }));
      expect(() => resolveMigrationsFormat({ configPath, dir: migrations })).toThrow(/"pgshift.format" in .* is "prisma"/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
