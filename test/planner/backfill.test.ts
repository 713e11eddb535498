import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { backfillSql, backfillStatement } from '../../src/planner/backfill';
import { parseBackfillNotice } from '../../src/runner/backfill-progress';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { waitUntilBlocked } from '../helpers/locks';

const PAIRS = { schema: 'public', name: 'Pair Table' };

describe('backfillStatement (pure)', () => {
  it('is a batched, row-locking statement that commits per batch', () => {
    const s = backfillStatement({ table: PAIRS, primaryKey: ['a'], setSql: '"v" = 1', whereSql: '"v" IS NULL', batchSize: 10 });
    expect(s).toMatchObject({ lock: 'ROW EXCLUSIVE', duration: 'batched', rewrites: false });
    expect(s.sql).toContain('COMMIT;');
    expect(s.sql).toContain('pgshift_batch integer := 10;');
    expect(s.sql).not.toContain('clock_timestamp() - pgshift_started');
  });

  it('with a batch time, starts small and sizes each batch from the last one, never above the cap', () => {
    const s = backfillStatement({ table: PAIRS, primaryKey: ['a'], setSql: '"v" = 1', whereSql: '"v" IS NULL', batchSize: 5000, batchTimeMs: 50 });
    expect(s.sql).toContain('pgshift_batch integer := 100;');
    expect(s.sql).toContain('pgshift_batch := least(5000, pgshift_batch * 2, greatest(1, (pgshift_batch * 50 / greatest(pgshift_ms, 0.1))::integer));');
    expect(() => backfillSql({ table: PAIRS, primaryKey: ['a'], setSql: 'x', whereSql: 'y', batchSize: 10, batchTimeMs: -1 })).toThrow(/batch time/);
  });

  it('refuses a table without a primary key and a nonsense batch size', () => {
    expect(() => backfillSql({ table: PAIRS, primaryKey: [], setSql: 'x', whereSql: 'y', batchSize: 10 })).toThrow(/primary key/);
    expect(() => backfillSql({ table: PAIRS, primaryKey: ['a'], setSql: 'x', whereSql: 'y', batchSize: 0 })).toThrow(/batch size/);
  });
});

describe('backfillStatement on Postgres', () => {
  let db: TestDatabase;
  let client: Client;
  beforeEach(async () => {
    db = await createTestDatabase();
    client = await db.connect();
    // Awkward on purpose: a quoted table name, a composite text/int key, a column named like the CTE.
    await client.query(`CREATE TABLE "Pair Table" ("Key" text, n integer, batch integer, v text, PRIMARY KEY ("Key", n))`);
    await client.query(`INSERT INTO "Pair Table" SELECT 'k' || (g % 37), g, g % 5, NULL FROM generate_series(1, 3000) g`);
  });
  afterEach(async () => {
    await client.end();
    await db.drop();
  });

  const fill = (batchSize: number) => backfillSql({
    table: PAIRS, primaryKey: ['Key', 'n'], batchSize,
    setSql: `"v" = "Key" || ':' || n || ':' || batch`, whereSql: '"v" IS NULL',
  });

  it('fills every row, one transaction per batch, with a composite key', async () => {
    await client.query(`UPDATE "Pair Table" SET v = 'kept' WHERE n % 10 = 0`);
    await client.query(fill(250));
    const rows = (await client.query(`SELECT count(*) FILTER (WHERE v IS NULL)::int AS missing,
      count(*) FILTER (WHERE v = 'kept')::int AS kept,
      count(*) FILTER (WHERE v = "Key" || ':' || n || ':' || batch)::int AS filled,
      count(DISTINCT xmin::text) FILTER (WHERE v <> 'kept')::int AS transactions FROM "Pair Table"`)).rows[0];
    // Batches are ranges of 250 keys; the rows already holding a value are skipped, not counted.
    expect(rows).toEqual({ missing: 0, kept: 300, filled: 2700, transactions: Math.ceil(3000 / 250) });
  });

  it('is idempotent: a second run touches no row', async () => {
    await client.query(fill(1000));
    const versions = async () => (await client.query(`SELECT md5(string_agg(xmin::text, ',' ORDER BY "Key", n)) AS x FROM "Pair Table"`)).rows[0].x;
    const first = await versions();
    await client.query(fill(1000));
    expect(await versions()).toBe(first);
  });

  it('adapts: slow rows make batches far smaller than the cap, and it reports progress in NOTICEs', async () => {
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.query('DELETE FROM "Pair Table" WHERE n > 1500');
    await client.query('ANALYZE "Pair Table"');
    // About 1 ms per row: a 20 ms target means batches of some 20 rows, where the cap allows 1,000.
    await client.query(backfillSql({
      table: PAIRS, primaryKey: ['Key', 'n'], batchSize: 1000, batchTimeMs: 20,
      setSql: `"v" = "Key" || ':' || n || pg_sleep(0.001)::text`, whereSql: '"v" IS NULL',
    }));
    const rows = (await client.query(`SELECT count(*) FILTER (WHERE v IS NULL)::int AS missing FROM "Pair Table"`)).rows[0];
    const batches = (await client.query(`SELECT count(*)::int AS n, max(c)::int AS largest FROM (SELECT count(*) AS c FROM "Pair Table" GROUP BY xmin::text) b`)).rows[0];
    expect(rows.missing).toBe(0);
    expect(batches.largest).toBeLessThan(1000);
    expect(batches.n).toBeGreaterThan(10); // the fixed cap would need 2
    const progress = notices.map(parseBackfillNotice).filter((p) => p !== null);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.estimate).toBe(1500);
    expect(progress[0]!.done).toBeGreaterThan(0);
  });

  it('does nothing on an empty table', async () => {
    await client.query(`TRUNCATE "Pair Table"`);
    await client.query(fill(10));
    expect((await client.query(`SELECT count(*)::int AS n FROM "Pair Table"`)).rows[0].n).toBe(0);
  });

  it('waits for a row another transaction holds, instead of skipping it', async () => {
    const other = await db.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE "Pair Table" SET batch = 99 WHERE "Key" = 'k1' AND n = 1`);
      const running = client.query(fill(500));
      await waitUntilBlocked(other);
      await other.query('COMMIT');
      await running;
      expect((await client.query(`SELECT v FROM "Pair Table" WHERE "Key" = 'k1' AND n = 1`)).rows[0].v).toBe('k1:1:99');
    } finally {
      await other.end();
    }
  });
});
