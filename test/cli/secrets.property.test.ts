/**
 * No command ever prints any part of a password. Fuzzed passwords full of URL syntax (`@ : / # % ? & = ' "`,
 * spaces, backslashes, unicode) go through every command, percent-encoded (the login must work: a role
 * with that password exists) and raw (then the URL is either read the way pg reads it, or refused with
 * the userinfo hidden). stdout and stderr, with --verbose and --json, must hold neither the password
 * nor any 3-character piece of it that the same command does not print with a harmless password.
 *
 * Fixed seed (test/property/parameters.ts); PGSHIFT_PROPERTY_SEED=random explores.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/db';
import { propertyParameters } from '../property/parameters';

const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;
const CONFIG = 'test/fixtures/basic/ormconfig.ts';
const ROLE = `pgshift_fuzz_${process.pid}`;

/**
 * Every command that takes a database URL, in an order that leaves the database as it found it. The
 * commands of one group run at once (they only read), the groups one after the other.
 */
function commandGroups(dir: string): string[][][] {
  const source = ['-c', CONFIG, '-d', dir];
  return [
    [['status', '-d', dir]],
    [['up', '-d', dir]],
    [['version', '-d', dir]],
    [['force', '1', '-d', dir]],
    [
      ['gen', 'diff', '--dry-run', '--json', ...source],
      ['plan', ...source],
      ['check', ...source],
      ['sync', '--dry-run', '--force', '-c', CONFIG],
    ],
    [['down', '1', '-d', dir]],
  ];
}
const commands = (dir: string) => commandGroups(dir).flat();
const UP = 1;
const DOWN = 7;

const alphabet = [..."@:/#%?&='\" \\", 'é', 'ß', '密', '🔑', ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const password = fc.array(fc.constantFrom(...alphabet), { minLength: 4, maxLength: 14 }).map((chars) => chars.join(''));

/** The 3-character pieces of a password (by code point). */
function pieces(secret: string): string[] {
  const chars = [...secret];
  const result: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) result.push(chars.slice(i, i + 3).join(''));
  return result;
}

function trigrams(text: string): Set<string> {
  return new Set(pieces(text));
}

describe('passwords never reach the terminal', () => {
  let db: TestDatabase;
  let dir: string;
  let host: string;
  /** What the commands print anyway, with harmless passwords: a piece found there proves nothing. */
  const vocabulary = new Set<string>();

  const urlWith = (userinfoPassword: string) => `postgres://${ROLE}:${userinfoPassword}@${host}/${db.name}`;

  async function runAll(url: string): Promise<CliResult[]> {
    const results: CliResult[] = [];
    const run = (args: string[]) => runCli(['--verbose', ...args, '--database-url', url], { env: { DATABASE_URL: undefined } });
    for (const group of commandGroups(dir)) results.push(...(await Promise.all(group.map(run))));
    return results;
  }

  beforeAll(async () => {
    db = await createTestDatabase('pgshift_secrets');
    const admin = new URL(db.url);
    host = admin.host;
    await db.query(`CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD 'harmless'`);
    dir = mkdtempSync(join(tmpdir(), 'pgshift-secrets-'));
    writeFileSync(join(dir, '000001_t.up.sql'), 'CREATE TABLE fuzz_t (x integer);\n');
    writeFileSync(join(dir, '000001_t.down.sql'), 'DROP TABLE fuzz_t;\n');
    for (const url of [urlWith('harmless'), urlWith('harm@less/x#y')]) {
      for (const result of await runAll(url)) for (const t of trigrams(result.stdout + result.stderr)) vocabulary.add(t);
    }
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${ROLE}`).finally(() => admin.end());
    rmSync(dir, { recursive: true, force: true });
  });

  function expectNoPiece(secret: string, url: string, results: readonly CliResult[]): void {
    const forbidden = pieces(secret).filter((p) => !vocabulary.has(p) && !/^[\d .:]+$/.test(p));
    commands(dir).forEach((args, i) => {
      const { stdout, stderr, code } = results[i]!;
      const all = stdout + stderr;
      const where = `${args.join(' ')} with ${JSON.stringify(url)}`;
      expect(all, where).not.toContain(secret);
      for (const piece of forbidden) expect(all, `${where}: printed ${JSON.stringify(piece)}`).not.toContain(piece);
      expect(stderr, where).not.toMatch(STACK);
      expect(stderr, where).not.toContain('internal error');
      expect(code, where).not.toBeNull();
    });
  }

  it('through every command, percent-encoded (and working) or raw', async () => {
    await fc.assert(
      fc.asyncProperty(password, async (secret) => {
        await db.query(`ALTER ROLE ${ROLE} PASSWORD '${secret.replace(/'/g, "''")}'`);
        const encoded = urlWith(encodeURIComponent(secret));
        const results = await runAll(encoded);
        expectNoPiece(secret, encoded, results);
        // The encoded URL is the right one: the commands work with it.
        expect(results[UP]!.code, results[UP]!.stderr).toBe(0);
        expect(results[DOWN]!.code, results[DOWN]!.stderr).toBe(0);
        const raw = urlWith(secret);
        expectNoPiece(secret, raw, await runAll(raw));
        // Leave the database as it started, whatever the raw URL did.
        await db.query('DROP TABLE IF EXISTS fuzz_t; DROP TABLE IF EXISTS schema_migrations; DROP TABLE IF EXISTS pgshift_migrations');
      }),
      propertyParameters(3),
    );
  }, 600_000);

  it.each([
    'postgres://app:p@ss:w/rd#%?&=x@127.0.0.1:1/db',
    'postgres://app:pa@ss/WORD9@127.0.0.1:1/db',
    'postgres://app:12?sec/ret@127.0.0.1:1/db',
    'postgres://app:sec#ret@127.0.0.1:1/db',
  ])('a password with raw URL syntax is refused, the userinfo hidden: %s', async (url) => {
    const result = await runCli(['status', '--database-url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: invalid database URL postgres:\/\/\*\*\*@127\.0\.0\.1:1\/db: /);
    expect(result.stderr).toMatch(/\nhint: .*%40/);
    for (const piece of ['ss:w', 'WORD9', 'sec', 'ret']) expect(result.stdout + result.stderr).not.toContain(piece);
  });

  it.each(['mysql://root:secret@127.0.0.1/db', 'http://127.0.0.1:5432/db', 'localhost:5432/db'])('only PostgreSQL URLs: %s', async (url) => {
    const result = await runCli(['check', '-c', CONFIG, '--database-url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a PostgreSQL URL\nhint: pgshift works with PostgreSQL only/);
    expect(result.stderr).not.toContain('secret');
  });

  it('a server error that echoes the user and database keeps them, but never the password', async () => {
    const url = `postgres://${ROLE}:${encodeURIComponent('wr0ng@zq/xv')}@${host}/no_such_db_${process.pid}`;
    const result = await runCli(['status', '--database-url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`no_such_db_${process.pid}|${ROLE}`));
    expect(result.stdout + result.stderr).not.toMatch(/wr0ng|zq\/xv|%40/);
  });
});
