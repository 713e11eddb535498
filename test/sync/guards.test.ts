/**
 * Sync's refusals, through the real CLI: each one refuses before writing anything, in one line that
 * names the flag that would allow it (exit 3) — or, for production, that nothing does (exit 1).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors';
import { connectionHost, isLocalHost } from '../../src/sync/guards';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const CONFIG = 'test/fixtures/evolve/before.ts';
const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

function expectRefusal(result: CliResult, code: number, message: RegExp, hint: RegExp): void {
  expect(result.code, result.stderr + result.stdout).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(hint);
  expect(result.stderr).not.toMatch(STACK);
  expect(result.stdout).not.toMatch(/applied:/);
}

describe('which hosts are local', () => {
  it.each([
    ['postgres://me@localhost/app', 'localhost', true],
    ['postgres://me@LOCALHOST:5433/app', 'LOCALHOST', true],
    ['postgres://me@127.0.0.1/app', '127.0.0.1', true],
    ['postgres://me@127.8.9.10/app', '127.8.9.10', true],
    ['postgres://me@[::1]:5432/app', '::1', true],
    ['socket:/var/run/postgresql?db=app', '/var/run/postgresql', true],
    ['/var/run/postgresql app', '/var/run/postgresql', true],
    ['postgres://me@%2Fvar%2Frun%2Fpostgresql/app', '/var/run/postgresql', true],
    ['postgres:///app?host=/tmp', '/tmp', true],
    ['postgres:///app', 'localhost', true],
    ['postgres://me@db.internal/app', 'db.internal', false],
    ['postgres://me@10.0.0.5/app', '10.0.0.5', false],
    ['postgres://me@128.0.0.1/app', '128.0.0.1', false],
    ['postgres://me@localhost.evil.com/app', 'localhost.evil.com', false],
    ['postgres://me@localhost/app?host=db.internal', 'db.internal', false],
  ])('%s → %s (local: %s)', (url, host, local) => {
    expect(connectionHost(url, {})).toBe(host);
    expect(isLocalHost(connectionHost(url, {}))).toBe(local);
  });

  it('an empty host is PGHOST, as pg resolves it', () => {
    expect(connectionHost('postgres:///app', { PGHOST: 'db.internal' })).toBe('db.internal');
  });
});

describe('pgshift sync refuses', () => {
  let db: TestDatabase | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await db?.drop();
    db = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('NODE_ENV=production, with no override, before starting anything', async () => {
    mkdirSync(join(REPO_ROOT, '.pgshift'), { recursive: true });
    const project = mkdtempSync(join(REPO_ROOT, '.pgshift', 'sync-prod-'));
    dirs.push(project);
    const result = await runCli(['sync', '-c', join(REPO_ROOT, CONFIG)], { cwd: project, env: { NODE_ENV: 'production', DATABASE_URL: undefined } });
    expectRefusal(result, EXIT.error, /sync is for development databases, and NODE_ENV is production/, /pgshift gen diff/);
    expect(existsSync(join(project, '.pgshift'))).toBe(false);
    const forced = await runCli(['sync', '-c', CONFIG, '--force', '--allow-remote', '--database-url', 'postgres://me@localhost:1/app'], { env: { NODE_ENV: 'production' } });
    expect(forced.code).toBe(EXIT.error);
    expect(forced.stderr).toMatch(/NODE_ENV is production/);
  });

  it('a database on another host unless --allow-remote, without printing its password', async () => {
    const result = await runCli(['sync', '-c', CONFIG, '--database-url', 'postgres://me:s3cr3t-pw@db.example.com:5432/app']);
    expectRefusal(result, EXIT.decision, /sync only writes to a local database, and db\.example\.com:5432\/app is on host db\.example\.com/, /--allow-remote/);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-pw');
  });

  it('a database managed by migrations unless --force', async () => {
    db = await createTestDatabase('pgshift_sync_guard');
    await db.query('CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
    const refused = await runCli(['sync', '-c', CONFIG, '--database-url', db.url]);
    expectRefusal(refused, EXIT.decision, /the database is managed by migrations \(public\.schema_migrations exists\)/, /--force/);
    expect(await db.query(`SELECT to_regclass('accounts') AS t`)).toEqual([{ t: null }]);
    const forced = await runCli(['sync', '-c', CONFIG, '--database-url', db.url, '--force']);
    expect(forced.code, forced.stderr).toBe(EXIT.ok);
    expect(forced.stdout).toMatch(/applied: create table accounts/);
  });

  it('a migrations table in another schema counts too', async () => {
    db = await createTestDatabase('pgshift_sync_guard');
    await db.query('CREATE SCHEMA ops; CREATE TABLE ops.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
    const refused = await runCli(['sync', '-c', CONFIG, '--database-url', db.url]);
    expectRefusal(refused, EXIT.decision, /ops\.schema_migrations exists/, /--force/);
  });
});
