/**
 * The migration lock: two runs at once apply each migration once; a session holding golang-migrate's
 * lock id (either variant) holds pgshift back; a waiting pgshift does not stall a concurrent index build.
 */
import type { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryLockId } from '../../src/runner/lock-id';
import { migrate } from '../../src/runner/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { waitUntilRunning } from '../helpers/locks';
import { migrationsFolder, runnerOptions, untilEvent, versionRows, type MigrationsFolder } from './helpers';

/** The waiting runner tries the lock again after `observer` looked (its session's query_start moves on). */
async function untilRetriedLock(observer: Client): Promise<void> {
  const lastTry = async () => (await observer.query<{ at: Date | null }>(
    `SELECT max(query_start) AS at FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'pgshift-migrate' AND query LIKE 'SELECT pg_try_advisory_lock%'`,
  )).rows[0]!.at?.getTime() ?? 0;
  const seen = await lastTry();
  await untilValue(async () => (await lastTry()) > seen);
}

async function untilValue(probe: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`not seen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function writeLoggedMigrations(folder: MigrationsFolder): void {
  folder.write(1, 'log', 'CREATE TABLE applied_log (version int, at timestamptz DEFAULT clock_timestamp());\nCREATE TABLE t (x int);\nINSERT INTO t SELECT generate_series(1, 5000);\nINSERT INTO applied_log (version) VALUES (1);', 'DROP TABLE applied_log; DROP TABLE t;');
  folder.write(2, 'slow', 'SELECT pg_sleep(0.4);\nINSERT INTO applied_log (version) VALUES (2);', 'SELECT 1;');
  folder.write(3, 't_x_idx', 'CREATE INDEX CONCURRENTLY t_x_idx ON t (x);', 'DROP INDEX CONCURRENTLY t_x_idx;');
  folder.write(4, 'after', 'INSERT INTO applied_log (version) VALUES (4);', 'SELECT 1;');
}

describe('migration lock', () => {
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

  // Migration 3 is a CREATE INDEX CONCURRENTLY built while the other run waits: a blocking
  // pg_advisory_lock wait would hold a snapshot the build waits for, and this test would hang.
  it('two concurrent runs apply each migration once; the second finds nothing to do', async () => {
    writeLoggedMigrations(folder);
    const first = runnerOptions(db, folder);
    const second = runnerOptions(db, folder);
    const results = await Promise.all([migrate(first, { kind: 'up', limit: null }), migrate(second, { kind: 'up', limit: null })]);
    const applied = results.map((r) => r.steps.map((s) => s.version)).sort((a, b) => b.length - a.length);
    expect(applied).toEqual([[1, 2, 3, 4], []]);
    expect(await db.query('SELECT version, count(*)::int AS n FROM applied_log GROUP BY version ORDER BY version')).toEqual([
      { version: 1, n: 1 }, { version: 2, n: 1 }, { version: 4, n: 1 },
    ]);
    expect(await versionRows(db)).toEqual([{ version: 4, dirty: false }]);
    // The one that waited said so, naming the holder.
    const waited = [first, second].find((o) => o.events.some((e) => e.kind === 'waiting-for-lock'));
    expect(waited?.events.find((e) => e.kind === 'waiting-for-lock')).toMatchObject({ holder: expect.stringMatching(/pid \d+ \(pgshift-migrate\)/) });
  });

  for (const variant of ['current_database()', 'URL path (/name, as the migrate CLI hashes it)']) {
    it(`waits for a session holding golang-migrate's lock id from ${variant}`, async () => {
      writeLoggedMigrations(folder);
      const id = advisoryLockId(variant.startsWith('URL') ? `/${db.name}` : db.name, 'public');
      const other = await db.connect();
      await other.query('SELECT pg_advisory_lock($1)', [id]);
      const options = runnerOptions(db, folder);
      const run = migrate(options, { kind: 'up', limit: 1 });
      await untilEvent(options.events, (e) => e.kind === 'waiting-for-lock');
      // It keeps waiting: the runner's session tries the lock again (a later try), and still runs nothing.
      await untilRetriedLock(other);
      expect(options.events.map((e) => e.kind)).toEqual(['waiting-for-lock']);
      expect(await db.query("SELECT to_regclass('applied_log') AS t")).toEqual([{ t: null }]);
      await other.query('SELECT pg_advisory_unlock($1)', [id]);
      await other.end();
      expect((await run).steps.map((s) => s.version)).toEqual([1]);
    });
  }

  it('holds the lock on the session that runs the files, for the whole run, and releases it after', async () => {
    folder.write(1, 'one', 'CREATE TABLE one (x int);', 'DROP TABLE one;');
    folder.write(2, 'slow', 'SELECT pg_sleep(1.5);', 'SELECT 1;');
    const options = runnerOptions(db, folder);
    const run = migrate(options, { kind: 'up', limit: 2 });
    // Look while migration 2 sleeps (seen running in pg_stat_activity).
    const observer = await db.connect();
    await waitUntilRunning(observer, 'SELECT pg_sleep(1.5)').finally(() => observer.end());
    const held = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'pgshift-migrate' AND a.query LIKE 'SELECT pg_sleep(1.5)%'
          AND a.datname = current_database()`,
    );
    expect(held[0]!.n).toBe(2); // both golang-migrate id variants
    // A transactional file moves the version when it commits: still 1 while it runs.
    expect(await versionRows(db)).toEqual([{ version: 1, dirty: false }]);
    await run;
    expect(await db.query(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )).toEqual([{ n: 0 }]);
  });
});
