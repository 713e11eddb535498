/**
 * The CLI as a user meets it: exit codes, one-line errors without stack traces, nothing written on any
 * error, passwords never printed. Runs the built CLI as a child process.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/db';

const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

function expectCleanError(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK);
  expect(result.stderr).not.toContain('internal error');
}

describe('pgshift CLI', () => {
  const dirs: string[] = [];
  let db: TestDatabase | undefined;
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    db = undefined;
  });

  it('--help teaches the commands, the exit codes and examples', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const word of ['gen', 'plan', 'check', 'Exit codes', 'Examples']) expect(result.stdout).toContain(word);
    const gen = await runCli(['gen', 'diff', '--help']);
    expect(gen.code).toBe(0);
    for (const flag of ['--rename', '--backfill', '--allow-destructive', '--dry-run', '--database-url']) expect(gen.stdout).toContain(flag);
  });

  it('rejects an unknown flag with exit 1 and a one-line error', async () => {
    expectCleanError(await runCli(['gen', 'diff', '--bogus']), 1, /unknown option '--bogus'/);
  });

  it('names a missing config file', async () => {
    const dir = tempDir();
    expectCleanError(await runCli(['gen', 'diff', '-c', 'nope/ormconfig.ts', '-d', dir]), 1, /config file not found: nope\/ormconfig\.ts/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives TypeORM\'s reason and the entity file when an entity is rejected, and writes nothing', async () => {
    const dir = tempDir();
    const result = await runCli(['gen', 'diff', '-c', 'test/fixtures/rejected/no-primary.ts', '-d', dir]);
    expectCleanError(result, 1, /primary/i);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a TypeScript syntax error in an entity without a stack', async () => {
    const dir = tempDir();
    expectCleanError(await runCli(['gen', 'diff', '-c', 'test/fixtures/syntax-error/ormconfig.ts', '-d', dir]), 1, /error/i);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never prints the password of an unreachable database URL', async () => {
    const result = await runCli(['check', '--database-url', 'postgres://me:s3cr3t-pw@127.0.0.1:1/app']);
    expectCleanError(result, 1, /cannot reach PostgreSQL at 127\.0\.0\.1:1\/app/);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-pw');
  });

  it('never prints the password when the server rejects it', async () => {
    const url = new URL(adminUrl());
    if (!url.password) return; // trust-auth servers (PGSHIFT_TEST_URL) accept any password
    url.password = 'wrong-pass-123';
    const result = await runCli(['check', '--database-url', url.toString()]);
    expectCleanError(result, 1, /rejected the login/);
    expect(result.stdout + result.stderr).not.toContain('wrong-pass-123');
  });

  it('writes a pair for a new project, then finds no changes, and check agrees', async () => {
    const dir = tempDir();
    const first = await runCli(['gen', 'diff', 'init', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(first.code, first.stderr).toBe(0);
    // The basic fixture's tables, then its view in the plan's last stage (views come after what they read).
    expect(readdirSync(dir).sort()).toEqual([
      '000001_init_create_article_kitchen_sink.down.sql', '000001_init_create_article_kitchen_sink.up.sql',
      '000002_init_create_view_article_stats.down.sql', '000002_init_create_view_article_stats.up.sql',
    ]);
    const again = await runCli(['gen', 'diff', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(again.stdout.trim(), again.stderr).toBe('No changes');
    expect(again.code).toBe(0);
    const check = await runCli(['check', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(check.code).toBe(0);
  });

  it('check exits 2 and lists the differences when migrations are missing', async () => {
    const dir = tempDir();
    const result = await runCli(['check', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/differences? between the entities/);
    expect(result.stdout).toContain('create table');
  });

  it('--dry-run prints the plan and SQL and writes nothing; --json is machine-readable', async () => {
    const dir = tempDir();
    const dry = await runCli(['gen', 'diff', '--dry-run', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('CREATE TABLE');
    const json = await runCli(['gen', 'diff', '--json', '--dry-run', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expect(JSON.parse(json.stdout).steps.length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a live database that is behind the migrations folder', async () => {
    db = await createTestDatabase('pgshift_cli');
    const dir = tempDir();
    cpSync('migrations', dir, { recursive: true });
    const result = await runCli(['gen', 'diff', '--database-url', db.url, '-d', dir]);
    expectCleanError(result, 1, /pending/);
    expect(result.stderr).toMatch(/pgshift up/);
  });

  it('reads DATABASE_URL when --database-url is absent', async () => {
    db = await createTestDatabase('pgshift_cli');
    const result = await runCli(['check', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', tempDir()], { env: { DATABASE_URL: db.url } });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('differences between the entities and the database');
  });
});

describe('pgshift gen diff decisions', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  async function projectAt(config: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    dirs.push(dir);
    const init = await runCli(['gen', 'diff', 'init', '-c', config, '-d', dir]);
    expect(init.code, init.stderr).toBe(0);
    return dir;
  }

  it('exits 3, names every flag needed, and writes nothing', async () => {
    const dir = await projectAt('test/fixtures/evolve/before.ts');
    const before = readdirSync(dir).sort();
    const result = await runCli(['gen', 'diff', '-c', 'test/fixtures/evolve/rename-column.ts', '-d', dir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('--rename accounts.note=remark');
    expect(result.stderr).toContain('Nothing was written');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('a rename: expand now, contract recorded, check passes while it is pending, --contract emits it', async () => {
    const dir = await projectAt('test/fixtures/evolve/before.ts');
    const config = 'test/fixtures/evolve/rename-column.ts';
    const expand = await runCli(['gen', 'diff', '-c', config, '-d', dir, '--rename', 'accounts.note=remark']);
    expect(expand.code, expand.stderr).toBe(0);
    expect(readdirSync(join(dir, 'pgshift-contract'))).toEqual(['000002.json']);
    const check = await runCli(['check', '-c', config, '-d', dir]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Pending contract steps (1)');
    const contract = await runCli(['gen', 'diff', '--contract', '-c', config, '-d', dir]);
    expect(contract.code).toBe(0);
    expect(readdirSync(dir).some((f) => /_drop_accounts_note_after_rename\.up\.sql$/.test(f))).toBe(true);
    const final = await runCli(['check', '-c', config, '-d', dir]);
    expect(final.code).toBe(0);
    expect(final.stdout).not.toContain('Pending');
  });
});

describe('pgshift gen diff against a live database', () => {
  let db: TestDatabase | undefined;
  let dir = '';
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    db = undefined;
  });

  it('counts the rows a narrowing type change would damage', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    db = await createTestDatabase('pgshift_cli');
    expect((await runCli(['gen', 'diff', 'init', '-c', 'test/fixtures/evolve/before.ts', '-d', dir])).code).toBe(0);
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    await db.query(`INSERT INTO accounts (name) SELECT 'n' || i FROM generate_series(1, 300) i`);
    const result = await runCli(['gen', 'diff', '-c', 'test/fixtures/evolve/narrow-varchar.ts', '-d', dir, '--database-url', db.url]);
    expect(result.code).toBe(3);
    // 'n100' … 'n300' do not fit in varchar(3).
    expect(result.stderr).toContain('201 rows would be changed by the conversion (rounded or shortened), e.g. id 100 = n100');
    expect(result.stderr).toContain('--allow-destructive');
  });

  it('names the migration file that fails to replay on the shadow database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    writeFileSync(join(dir, '000001_broken.up.sql'), 'CREATE TABLE broken (id int;\n');
    writeFileSync(join(dir, '000001_broken.down.sql'), 'DROP TABLE broken;\n');
    const result = await runCli(['check', '-c', 'test/fixtures/basic/ormconfig.ts', '-d', dir]);
    expectCleanError(result, 1, /000001_broken\.up\.sql failed on the shadow database: syntax error/);
  });
});

describe('tables no entity describes', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are listed and left alone, even with --allow-destructive; --drop-unmanaged drops them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    expect((await runCli(['gen', 'diff', 'init', '-c', 'test/fixtures/evolve/before.ts', '-d', dir])).code).toBe(0);
    const config = ['-c', 'test/fixtures/evolve/without-owners.ts', '-d', dir];
    const plain = await runCli(['gen', 'diff', ...config, '--allow-destructive']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim()).toBe('No changes');
    expect(plain.stderr).toContain('Not managed by any entity');
    expect(plain.stderr).toContain('table owners');
    const lone = await runCli(['gen', 'diff', ...config, '--drop-unmanaged']);
    expect(lone.code).toBe(1);
    expect(lone.stderr).toContain('only works together with --allow-destructive');
    const dropped = await runCli(['gen', 'diff', ...config, '--allow-destructive', '--drop-unmanaged']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(readdirSync(dir).some((f) => /drop_owners.*\.up\.sql$/.test(f))).toBe(true);
  });
});
