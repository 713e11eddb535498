/**
 * A mistyped migrations folder never yields a silent init migration, and a file that looks like a
 * migration but would not run is named, never skipped without a word.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationsDir } from '../../src/migrations-dir/files';
import { runCli, type CliResult } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const CONFIG = 'test/fixtures/basic/ormconfig.ts';
const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/\nhint: /);
  expect(result.stderr).not.toMatch(STACK);
}

describe('a missing migrations folder', () => {
  const dirs: string[] = [];
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase('pgshift_folders'); });
  afterAll(async () => { await db?.drop(); });
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });
  const project = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-folders-'));
    dirs.push(dir);
    return dir;
  };

  it.each([
    [['gen', 'diff', '-c', CONFIG]],
    [['gen', 'diff', '--dry-run', '-c', CONFIG]],
    [['plan', '-c', CONFIG]],
    [['check', '-c', CONFIG]],
    [['up']],
    [['down', '1']],
    [['goto', '1']],
    [['status']],
    [['force', '1']],
  ])('%j is an error with a hint, and nothing is created', async (args) => {
    const missing = join(project(), 'migratons');
    const result = await runCli([...args, '-d', missing, '--database-url', db.url]);
    expectOneLineError(result, /migrations folder not found: .*migratons/);
    expect(result.stderr).toContain('--create-dir');
    expect(existsSync(missing)).toBe(false);
  });

  it('gen diff --create-dir creates it with the first migration', async () => {
    const dir = join(project(), 'migrations');
    const result = await runCli(['gen', 'diff', 'init', '--create-dir', '-c', CONFIG, '-d', dir]);
    expect(result.code, result.stderr).toBe(0);
    // The basic fixture's tables, then its view in the plan's last stage (views come after what they read).
    expect(readdirSync(dir).sort()).toEqual([
      '000001_init_create_article_kitchen_sink.down.sql', '000001_init_create_article_kitchen_sink.up.sql',
      '000002_init_create_view_article_stats.down.sql', '000002_init_create_view_article_stats.up.sql',
    ]);
  });
});

describe('misnamed files in the migrations folder', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });
  const folderWith = (...names: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-folders-'));
    dirs.push(dir);
    cpSync('migrations', dir, { recursive: true });
    for (const name of names) writeFileSync(join(dir, name), 'SELECT 1;\n');
    return dir;
  };

  it.each([
    ['000027-bad.up.sql', /000027-bad\.up\.sql: the version must be followed by "_"/],
    ['abc.up.sql', /abc\.up\.sql: no version number/],
    ['000003_x.UP.sql', /000003_x\.UP\.sql: write \.up\.sql \/ \.down\.sql in lower case/],
    ['000004_y.up.sql', /000004_y\.up\.sql: no 000004_y\.down\.sql beside it/],
    ['000005_z.down.sql', /000005_z\.down\.sql: no 000005_z\.up\.sql beside it/],
    ['000006_w.up.txt', /000006_w\.up\.txt: only \.sql migrations are read/],
    ['schema.sql', /schema\.sql: no version number/],
  ])('%s: one line naming it', (name, line) => {
    expect(() => readMigrationsDir(folderWith(name))).toThrow(line);
  });

  it('pgshift-contract.json, README-like and hidden files are fine', () => {
    const dir = folderWith('pgshift-contract.json', 'README.md', 'readme.txt', 'NOTES.md', '.gitkeep');
    expect(readMigrationsDir(dir).map((m) => m.version)).toEqual([1]);
  });

  it('gen diff and up refuse, status lists them; nothing is written', async () => {
    const dir = folderWith('000027-bad.up.sql', 'abc.up.sql');
    const before = readdirSync(dir).sort();
    const db = await createTestDatabase('pgshift_folders');
    try {
      for (const args of [['gen', 'diff', '-c', CONFIG], ['up', '--database-url', db.url], ['status', '--database-url', db.url]]) {
        const result = await runCli([...args, '-d', dir]);
        expectOneLineError(result, /2 misnamed files in .*:\n {2}000027-bad\.up\.sql: .*\n {2}abc\.up\.sql: /);
      }
      expect(await db.query(`SELECT to_regclass('schema_migrations') AS t`)).toEqual([{ t: null }]);
    } finally {
      await db.drop();
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
