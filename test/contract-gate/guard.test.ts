/**
 * Issue #15, the gate that travels with the migration: a contract written by `gen diff --contract`
 * starts with a guard, so a runner other than `pgshift up` is gated too. TypeORM's own
 * `DataSource.runMigrations` is refused while an old application writes through the old column and runs
 * the class once a (shortened) quiet period has passed; the golang-migrate file's guard refuses the same
 * way when its text runs as one query, as golang-migrate sends it. `--force-contract` writes no guard.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrationClasses } from '../../src/entity-loader/migration-classes';
import { readTypeormMigrationsDir } from '../../src/migrations-dir/typeorm-files';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { sleep, startOldApp } from './old-app';

const BEFORE = 'test/fixtures/evolve/before.ts';
const AFTER = 'test/fixtures/evolve/rename-column.ts';
const RENAME = ['--rename', 'accounts.note=remark'];
const QUIET = ['--quiet-for', '2s'];
const QUIET_MS = 2000;
const NO_URL = { env: { DATABASE_URL: undefined } };
const OLD_WRITES = ["UPDATE accounts SET note = 'old app $i' WHERE id = 1"];

async function runTypeorm(url: string, dir: string): Promise<string[]> {
  const migrations = await loadMigrationClasses(readTypeormMigrationsDir(dir).map((f) => f.path));
  const ds = new DataSource({ type: 'postgres', url, migrations, migrationsTransactionMode: 'each', logging: false });
  await ds.initialize();
  try {
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

async function columns(db: TestDatabase): Promise<string[]> {
  return (await db.query<{ c: string }>("SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'accounts' ORDER BY 1")).map((r) => r.c);
}

describe('contract guard: gated under any runner', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('pgshift_contract_guard');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contract-guard-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("TypeORM's runMigrations: refused while the old application writes, runs after the quiet period", async () => {
    expect((await runCli(['gen', 'diff', 'init', '--format', 'typeorm', '-c', BEFORE, '-d', dir], NO_URL)).code).toBe(0);
    const expand = await runCli(['gen', 'diff', '--format', 'typeorm', '-c', AFTER, '-d', dir, ...RENAME], NO_URL);
    expect(expand.code, expand.stderr).toBe(0);
    await runTypeorm(db.url, dir);
    await db.query("INSERT INTO accounts (id, name, remark) VALUES (1, 'a', 'new app')");

    const contract = await runCli(['gen', 'diff', '--contract', '--format', 'typeorm', '-c', AFTER, '-d', dir, ...QUIET], NO_URL);
    expect(contract.code, contract.stderr).toBe(0);
    const classFile = readdirSync(dir).find((f) => /AfterRename\.ts$/.test(f))!;
    const source = readFileSync(join(dir, classFile), 'utf8');
    expect(source).toContain('DO $pgshift_guard$');
    expect(source).toContain('Guard: the first statement refuses under any runner');

    const app = await startOldApp(db.url, OLD_WRITES);
    try {
      await expect(runTypeorm(db.url, dir)).rejects.toThrow(/pgshift contract gate: rename-column:public\.accounts\.note \(old shape column public\.accounts\.note\) was written through at .*, within the quiet period 2s/);
      expect(await columns(db)).toContain('note');
    } finally {
      await app.stop();
    }
    await sleep(QUIET_MS + 300);
    expect(await runTypeorm(db.url, dir)).toHaveLength(1);
    expect(await columns(db)).not.toContain('note');
    expect(await db.query('SELECT count(*)::int AS n FROM pgshift_contract_usage')).toEqual([{ n: 0 }]);
  }, 180_000);

  it("golang-migrate's file: the same guard; --force-contract writes none and says so", async () => {
    const migrations = join(dir, 'migrations');
    expect((await runCli(['gen', 'diff', 'init', '-c', BEFORE, '-d', migrations, '--create-dir'])).code).toBe(0);
    expect((await runCli(['gen', 'diff', '-c', AFTER, '-d', migrations, ...RENAME])).code).toBe(0);
    expect((await runCli(['up', '-d', migrations, '--database-url', db.url])).code).toBe(0);
    await db.query("INSERT INTO accounts (id, name, remark) VALUES (1, 'a', 'new app')");

    const forced = await runCli(['gen', 'diff', '--contract', '--dry-run', '--force-contract', '-c', AFTER, '-d', migrations], NO_URL);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).not.toContain('DO $pgshift_guard$');
    expect(forced.stdout).toContain('Guard: none (forced)');

    expect((await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...QUIET], NO_URL)).code).toBe(0);
    const upFile = readdirSync(migrations).find((f) => /after_rename\.up\.sql$/.test(f))!;
    const text = readFileSync(join(migrations, upFile), 'utf8');
    await db.query("UPDATE accounts SET note = 'old app' WHERE id = 1");
    // As golang-migrate sends it: the whole file as one query, in its transaction.
    await expect(db.query(text)).rejects.toThrow(/pgshift contract gate: rename-column:public\.accounts\.note .* within the quiet period 2s/);
    expect(await columns(db)).toContain('note');
    // No usage record at all (an expand that did not record it): refused too, never guessed unused.
    await db.query('ALTER TABLE pgshift_contract_usage RENAME TO pgshift_contract_usage_away');
    await expect(db.query(text)).rejects.toThrow(/no usage record of rename-column:public\.accounts\.note/);
    await db.query('ALTER TABLE pgshift_contract_usage_away RENAME TO pgshift_contract_usage');
    // The documented way past it for another runner.
    await db.query(`SET pgshift.contract_gate = 'passed'; ${text}`);
    expect(await columns(db)).not.toContain('note');
  }, 180_000);
});
