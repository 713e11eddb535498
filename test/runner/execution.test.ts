/**
 * How files run: non-transactional files outside a transaction, INVALID-index recovery after a failed
 * concurrent build, lock-timeout retries, and refusing a file that mixes a concurrent build with others.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { migrate } from '../../src/runner/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { waitUntilRunning } from '../helpers/locks';
import { migrationsFolder, runnerOptions, untilEvent, versionRows, type MigrationsFolder } from './helpers';

describe('file execution', () => {
  let db: TestDatabase;
  let folder: MigrationsFolder;
  beforeEach(async () => {
    db = await createTestDatabase();
    folder = migrationsFolder();
  });
  afterEach(async () => {
    await db.drop();
    folder.remove();
  });

  it('runs a lone CREATE INDEX CONCURRENTLY outside a transaction, and a committing DO block', async () => {
    folder.write(1, 'users', 'CREATE TABLE users (id int primary key, email text);\nINSERT INTO users SELECT g, \'u\' || g FROM generate_series(1, 100) g;', 'DROP TABLE users;');
    folder.write(2, 'users_email_idx', '-- pgshift: non-transactional\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n', 'DROP INDEX CONCURRENTLY users_email_idx;');
    folder.write(3, 'backfill', `DO $$
DECLARE n int;
BEGIN
  LOOP
    UPDATE users SET email = upper(email) WHERE id IN (SELECT id FROM users WHERE email = lower(email) LIMIT 30);
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT; -- one transaction per batch
    EXIT WHEN n = 0;
  END LOOP;
END $$;`, 'SELECT 1;');
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: null });
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);
    expect(await db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await db.query("SELECT count(*)::int AS n FROM users WHERE email = upper(email)")).toEqual([{ n: 100 }]);
    expect(options.events.filter((e) => e.kind === 'start').map((e) => e.kind === 'start' && e.transactional)).toEqual([true, false, false]);
    await migrate(options, { kind: 'down', limit: null });
    expect(await versionRows(db)).toEqual([]);
  });

  it('refuses, before running anything, a file that mixes a concurrent build with other statements', async () => {
    folder.write(1, 'a', 'CREATE TABLE a (x int);', 'DROP TABLE a;');
    folder.write(2, 'mixed', "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY a_x ON a (x);", 'SELECT 1;');
    const error = await migrate(runnerOptions(db, folder), { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((error as PgshiftError).code).toBe('MIGRATIONS_DIR');
    expect((error as PgshiftError).message).toMatch(/000002_mixed\.up\.sql: CREATE INDEX CONCURRENTLY \(statement 2 of 2\) must run outside a transaction/);
    expect((error as PgshiftError).hint).toMatch(/nothing has been run/);
    // Checked up front: migration 1 did not run either.
    expect(await db.query("SELECT to_regclass('schema_migrations') IS NULL OR NOT EXISTS (SELECT 1 FROM schema_migrations) AS empty")).toEqual([{ empty: true }]);
    expect(await db.query("SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
  });

  it('a failed unique concurrent build: its INVALID index is dropped and the version goes back, clean; the next run builds it', async () => {
    folder.write(1, 'accounts', "CREATE TABLE accounts (id int primary key, email text);\nINSERT INTO accounts VALUES (1, 'a'), (2, 'a'), (3, 'b');", 'DROP TABLE accounts;');
    folder.write(2, 'accounts_email_key', 'CREATE UNIQUE INDEX CONCURRENTLY "accounts_email_KEY" ON public.accounts (email);', 'DROP INDEX CONCURRENTLY "accounts_email_KEY";');
    const options = runnerOptions(db, folder);
    const error = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((error as PgshiftError).message).toMatch(/000002_accounts_email_key\.up\.sql failed: could not create unique index "accounts_email_KEY"/);
    expect((error as PgshiftError).message).toMatch(/Key \(email\)=\(a\) is duplicated/);
    expect((error as PgshiftError).hint).toMatch(/back at version 1, not dirty \(the INVALID index "accounts_email_KEY" the build left was dropped\)/);
    expect(await versionRows(db)).toEqual([{ version: 1, dirty: false }]);
    expect(options.events).toContainEqual({ kind: 'invalid-index-dropped', version: 2, index: '"accounts_email_KEY"' });
    expect(await db.query(`SELECT to_regclass('"accounts_email_KEY"') AS i`)).toEqual([{ i: null }]);

    await db.query("UPDATE accounts SET email = 'c' WHERE id = 2");
    await migrate(options, { kind: 'up', limit: null });
    expect(await db.query(`SELECT indisvalid, indisunique FROM pg_index WHERE indexrelid = '"accounts_email_KEY"'::regclass`)).toEqual([{ indisvalid: true, indisunique: true }]);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
  });

  it('retries a lock timeout with backoff until the lock is released', async () => {
    folder.write(1, 'items', 'CREATE TABLE items (id int);', 'DROP TABLE items;');
    folder.write(2, 'items_flag', 'ALTER TABLE items ADD COLUMN flag boolean;', 'ALTER TABLE items DROP COLUMN flag;');
    const options = runnerOptions(db, folder, { lockTimeout: '100ms', lockRetries: 8, retryBaseDelayMs: 100 });
    await migrate(options, { kind: 'up', limit: 1 });

    const holder = await db.connect();
    await holder.query('BEGIN; LOCK TABLE items IN ACCESS SHARE MODE');
    const run = migrate(options, { kind: 'up', limit: null });
    // Released once the runner has timed out on the lock and is retrying: the retry is what succeeds.
    await untilEvent(options.events, (e) => e.kind === 'retry');
    await holder.query('COMMIT');
    await run;
    await holder.end();
    const retries = options.events.filter((e) => e.kind === 'retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toMatchObject({ kind: 'retry', version: 2, attempt: 1, of: 8, reason: expect.stringMatching(/lock timeout/) });
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
  });

  it('gives up after --lock-retries attempts, clean at the previous version', async () => {
    folder.write(1, 'items', 'CREATE TABLE items (id int);', 'DROP TABLE items;');
    folder.write(2, 'items_flag', 'ALTER TABLE items ADD COLUMN flag boolean;', 'ALTER TABLE items DROP COLUMN flag;');
    const options = runnerOptions(db, folder, { lockTimeout: '50ms', lockRetries: 2, retryBaseDelayMs: 20 });
    await migrate(options, { kind: 'up', limit: 1 });
    const holder = await db.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE items IN ACCESS SHARE MODE');
      const error = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
      expect((error as PgshiftError).message).toMatch(/000002_items_flag\.up\.sql failed after 3 attempts: canceling statement due to lock timeout/);
      expect(options.events.filter((e) => e.kind === 'retry')).toHaveLength(2);
      expect((error as PgshiftError).hint).toMatch(/still at version 1, not dirty; run again when the table is less busy/);
    } finally {
      await holder.end();
    }
    expect(await versionRows(db)).toEqual([{ version: 1, dirty: false }]);
  });

  it('resets session timeouts before each file, so a file\'s own SET does not leak into the next', async () => {
    folder.write(1, 'sets', "SET statement_timeout = '1ms';\nSELECT 1;", 'SELECT 1;');
    folder.write(2, 'slow', 'SELECT pg_sleep(0.2);', 'SELECT 1;');
    await migrate(runnerOptions(db, folder), { kind: 'up', limit: null });
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    await expect(migrate(runnerOptions(db, folder, { lockTimeout: 'soon' }), { kind: 'down', limit: 1 })).rejects.toThrow(/invalid --lock-timeout "soon"/);
  });

  it('reports index-build progress and who it waits for, from a second connection', async () => {
    folder.write(1, 'items', 'CREATE TABLE items (id int);', 'DROP TABLE items;');
    folder.write(2, 'items_id_idx', 'CREATE INDEX CONCURRENTLY items_id_idx ON items (id);', 'DROP INDEX CONCURRENTLY items_id_idx;');
    const options = runnerOptions(db, folder, { progressIntervalMs: 50 });
    await migrate(options, { kind: 'up', limit: 1 });
    // An open writing transaction: the concurrent build must wait for it ("waiting for writers before build").
    const writer = await db.connect();
    await writer.query('BEGIN; INSERT INTO items VALUES (1)');
    const run = migrate(options, { kind: 'up', limit: null });
    await untilEvent(options.events, (e) => e.kind === 'progress' && !!e.index?.phase.startsWith('waiting for writers'));
    await untilEvent(options.events, (e) => e.kind === 'warning' && e.message.startsWith('waiting for a lock held by'));
    await writer.query('COMMIT');
    await writer.end();
    await run;
    const progress = options.events.find((e) => e.kind === 'progress' && e.index !== null);
    expect(progress).toMatchObject({ kind: 'progress', version: 2, index: { phase: expect.stringMatching(/^waiting for writers/), lockersTotal: 1 } });
    expect(options.events).toContainEqual({ kind: 'warning', message: expect.stringMatching(/^waiting for a lock held by pid \d+ .*INSERT INTO items/) });
    // No progress after the file is done.
    const done = options.events.findIndex((e) => e.kind === 'done' && e.version === 2);
    expect(options.events.slice(done + 1).filter((e) => e.kind === 'progress')).toEqual([]);
  });

  it('aborting cancels the running statement on the server; the rolled-back file leaves no version', async () => {
    folder.write(1, 'slow', 'SELECT pg_sleep(30);', 'SELECT 1;');
    const controller = new AbortController();
    const options = runnerOptions(db, folder, { signal: controller.signal });
    const started = Date.now();
    const run = migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    const observer = await db.connect();
    await waitUntilRunning(observer, 'SELECT pg_sleep(30)').finally(() => observer.end());
    controller.abort();
    const error = (await run) as PgshiftError;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.message).toBe('stopped while running 000001_slow.up.sql');
    expect(error.hint).toMatch(/rolled back: the database is still at version none, not dirty/);
    expect(await versionRows(db)).toEqual([]);
    expect(await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%'")).toEqual([{ n: 0 }]);
  });
});
