/**
 * `up --fleet` on real databases: the sample app's folder on 50 databases split over three shard
 * processes, a target that cannot be reached and a re-run that converges, a canary that stops the
 * rest, and a target killed mid-file (pg_terminate_backend) that converges after `force`.
 */
import { RUN_APPLICATION_NAME } from '../../src/runner/connections';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { upFleet } from '../../src/fleet/run-fleet';
import type { FleetReport } from '../../src/fleet/report';
import { adminUrl, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { migrationsFolder, versionRows, type MigrationsFolder } from '../runner/helpers';

const SAMPLE_MIGRATIONS = join(REPO_ROOT, 'migrations');

async function createMany(n: number, prefix: string): Promise<TestDatabase[]> {
  const dbs: TestDatabase[] = [];
  // A few at a time: CREATE DATABASE copies template1, and the server is shared with other tests.
  for (let i = 0; i < n; i += 5) dbs.push(...(await Promise.all(Array.from({ length: Math.min(5, n - i) }, () => createTestDatabase(prefix)))));
  return dbs;
}

async function dropAll(dbs: readonly TestDatabase[]): Promise<void> {
  for (let i = 0; i < dbs.length; i += 5) await Promise.all(dbs.slice(i, i + 5).map((db) => db.drop()));
}

function readReport(path: string): FleetReport {
  return JSON.parse(readFileSync(path, 'utf8')) as FleetReport;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

const password = (): string | null => new URL(adminUrl()).password || null;

describe('up --fleet: 50 databases', () => {
  let dbs: TestDatabase[];
  let work: string;
  let lateName: string | null = null;
  beforeAll(async () => {
    dbs = await createMany(50, 'pgshift_fleet');
    work = mkdtempSync(join(tmpdir(), 'pgshift-fleet-'));
  }, 180_000);
  afterAll(async () => {
    await dropAll(dbs);
    if (lateName) await adminQuery(`DROP DATABASE IF EXISTS "${lateName}" WITH (FORCE)`);
    rmSync(work, { recursive: true, force: true });
  }, 180_000);

  it('three --shard processes together apply the sample folder to every database exactly once, with reports', async () => {
    const inventory = join(work, 'fleet.txt');
    writeFileSync(inventory, `# 50 tenants\n${dbs.map((db, i) => `tenant-${i} ${db.url}`).join('\n')}\n`);
    const runs = await Promise.all([1, 2, 3].map((i) => runCli(
      ['up', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS, '--concurrency', '4', '--shard', `${i}/3`, '--report', join(work, `shard-${i}.json`)],
    )));
    for (const run of runs) expect(run.stderr).toBe('');
    for (const run of runs) expect(run.code).toBe(0);
    const reports = [1, 2, 3].map((i) => readReport(join(work, `shard-${i}.json`)));
    const ids = reports.flatMap((r) => r.targets.map((t) => t.id));
    expect(ids).toHaveLength(50);
    expect(new Set(ids)).toEqual(new Set(dbs.map((_, i) => `tenant-${i}`)));
    expect(reports.map((r) => r.shard)).toEqual(['1/3', '2/3', '3/3']);
    for (const target of reports.flatMap((r) => r.targets)) {
      expect(target).toMatchObject({ outcome: 'applied', versionBefore: -1, versionAfter: 1, dirty: false, applied: [1], error: null });
      expect(typeof target.durationMs).toBe('number');
    }
    const pw = password();
    if (pw) for (const [i, run] of runs.entries()) expect(readFileSync(join(work, `shard-${i + 1}.json`), 'utf8') + run.stdout).not.toContain(`:${pw}@`);
    // Each database really has the sample app's tables and its own bookkeeping.
    expect(await dbs[17]!.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'assets', 'asset_prices', 'exchange_rates')")).toEqual([{ n: 4 }]);
    expect(await versionRows(dbs[42]!)).toEqual([{ version: 1, dirty: false }]);

    const status = await runCli(['status', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('50 targets · folder at 1 · versions: 1 ×50 · no skew · 0 behind');
  }, 180_000);

  it('an unreachable target fails alone (no password printed); once it exists, a re-run converges', async () => {
    const name = `pgshift_fleet_late_${Date.now().toString(36)}`;
    const lateUrl = databaseUrl(adminUrl(), name);
    const inventory = join(work, 'fleet.json');
    writeFileSync(inventory, JSON.stringify([...dbs.map((db, i) => ({ id: `tenant-${i}`, url: db.url })), { id: 'late', url: lateUrl }]));
    const report = join(work, 'run.json');
    const first = await runCli(['up', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS, '--max-failures', '3', '--report', report]);
    expect(first.code).toBe(1);
    const firstReport = readReport(report);
    expect(firstReport.summary).toEqual({ total: 51, applied: 0, 'up-to-date': 50, failed: 1, skipped: 0 });
    const failed = firstReport.targets.find((t) => t.id === 'late')!;
    expect(failed).toMatchObject({ outcome: 'failed', versionBefore: null, versionAfter: null });
    expect(failed.error).toMatch(/database does not exist/);
    expect(first.stdout).toMatch(/late: FAILED: database does not exist/);
    const pw = password();
    if (pw) expect(readFileSync(report, 'utf8') + first.stdout + first.stderr).not.toContain(`:${pw}@`);

    const status = await runCli(['status', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/late\s+unreadable: database does not exist/);

    await adminQuery(`CREATE DATABASE "${name}"`);
    lateName = name;

    const second = await runCli(['up', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS, '--report', report]);
    expect(second.code).toBe(0);
    expect(readReport(report).summary).toEqual({ total: 51, applied: 1, 'up-to-date': 50, failed: 0, skipped: 0 });
    const third = await runCli(['up', '--fleet', inventory, '-d', SAMPLE_MIGRATIONS, '--report', report]);
    expect(readReport(report).summary).toMatchObject({ applied: 0, 'up-to-date': 51 });
    expect(third.code).toBe(0);
  }, 180_000);
});

describe('up --fleet: failures', () => {
  let dbs: TestDatabase[] = [];
  let folder: MigrationsFolder;
  afterEach(async () => {
    await dropAll(dbs);
    dbs = [];
    folder.remove();
  });

  it('a failing canary stops the rest: nothing after it is touched', async () => {
    dbs = await createMany(5, 'pgshift_canary');
    folder = migrationsFolder();
    folder.write(1, 'create_t', 'CREATE TABLE t (id int);', 'DROP TABLE t;');
    await dbs[1]!.query('CREATE TABLE t (id int)'); // the second canary fails: t already exists
    const inventory = join(folder.dir, '..', `${folder.dir.split('/').at(-1)}.inventory`);
    writeFileSync(inventory, dbs.map((db, i) => `db${i} ${db.url}`).join('\n'));
    const report = `${inventory}.json`;
    try {
      const run = await runCli(['up', '--fleet', inventory, '-d', folder.dir, '--canary', '2', '--max-failures', '10', '--report', report]);
      expect(run.code).toBe(1);
      const targets = readReport(report).targets;
      expect(targets.map((t) => t.outcome)).toEqual(['applied', 'failed', 'skipped', 'skipped', 'skipped']);
      // A transactional file that fails rolls back with its version: the target stays clean, at none.
      expect(targets[1]).toMatchObject({ dirty: false, versionAfter: -1 });
      expect(targets[2]!.error).toBe('canary 2 of 2 failed');
      for (const db of dbs.slice(2)) {
        expect(await db.query("SELECT to_regclass('public.schema_migrations') IS NULL AS untouched")).toEqual([{ untouched: true }]);
      }
    } finally {
      rmSync(inventory, { force: true });
      rmSync(report, { force: true });
    }
  }, 120_000);

  it('a target whose connection is terminated mid-file fails alone, clean; a plain re-run converges', async () => {
    dbs = await createMany(3, 'pgshift_killed');
    folder = migrationsFolder();
    folder.write(1, 'create_a', 'CREATE TABLE a (id int);', 'DROP TABLE a;');
    // Waits for an advisory lock the test holds on the victim only, so the kill lands inside the file.
    folder.write(2, 'create_b', 'SELECT pg_advisory_xact_lock(774411);\nCREATE TABLE b (id int);', 'DROP TABLE b;');
    const victim = dbs[1]!;
    const holder: Client = await victim.connect();
    await holder.query('SELECT pg_advisory_lock(774411)');
    const targets = dbs.map((db, i) => ({ id: `db${i}`, url: db.url }));
    const options = { dir: folder.dir, concurrency: 3, perHost: 3, canary: 0, maxFailures: 5, lockRetries: 0 };
    try {
      const running = upFleet(targets, options);
      let pid: number | null = null;
      while (pid === null) {
        const rows = await holder.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = 774411 AND a.application_name = '${RUN_APPLICATION_NAME}'`,
        );
        pid = rows.rows[0]?.pid ?? null;
      }
      await holder.query('SELECT pg_terminate_backend($1)', [pid]);
      const outcomes = await running;
      expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'failed', 'applied']);
      // The file's transaction and its version row rolled back together: clean at 1, nothing to force.
      expect(outcomes[1]).toMatchObject({ versionBefore: -1, versionAfter: 1, dirty: false });
      expect(await victim.query("SELECT to_regclass('public.b') IS NULL AS gone")).toEqual([{ gone: true }]);
      await holder.query('SELECT pg_advisory_unlock(774411)');

      const again = await upFleet(targets, options);
      expect(again.map((o) => o.outcome)).toEqual(['up-to-date', 'applied', 'up-to-date']);
      for (const db of dbs) expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    } finally {
      await holder.end();
    }
  }, 120_000);
});
