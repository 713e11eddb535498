import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { createIndexConcurrentlyRule, hasConcurrentIndexBug } from '../../src/planner/rules/create-index-concurrently';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { newTablesOf } from '../../src/planner/plan';
import type { PlanContext } from '../../src/planner/rule';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { watchLocks } from '../helpers/locks';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels, waitFor } from './safe-helpers';

const items = withPk(table('items', [idColumn(), col('sku', 'text'), col('qty', 'integer')]));
const itemsIndexed = { ...items, indexes: [index('items_sku_idx', ['sku'])] };
const change = { kind: 'CreateIndex' as const, table: { schema: 'public', name: 'items' }, index: index('items_sku_idx', ['sku']) };

function ctx(serverVersion: number, newTables: string[] = []): PlanContext {
  return { from: model([items]), to: model([itemsIndexed]), decisions: NO_DECISIONS, targetMajor: Math.floor(serverVersion / 10000), liveServerVersion: serverVersion, rowEstimates: new Map(), newTables: new Set(newTables) };
}

const BEFORE = `
  CREATE TABLE items (id serial PRIMARY KEY, sku text, qty integer);
  INSERT INTO items (sku, qty) SELECT 'sku-' || g, g % 100 FROM generate_series(1, 20000) g;`;

describe('create-index-concurrently', () => {
  it('builds an index on an existing table concurrently, alone in a non-transactional file', () => {
    const outcome = createIndexConcurrentlyRule.plan(change, ctx(150000));
    expect(outcome?.kind).toBe('plan');
    const [fragment] = outcome!.kind === 'plan' ? outcome!.fragments : [];
    expect(fragment).toMatchObject({ transactional: false, mergeable: false, stage: 20 });
    expect(fragment!.up.map((s) => s.sql)).toEqual(['CREATE INDEX CONCURRENTLY "items_sku_idx" ON "public"."items" ("sku")']);
    expect(fragment!.up[0]!.lock).toBe('SHARE UPDATE EXCLUSIVE');
    expect(fragment!.down.map((s) => s.sql)).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS "public"."items_sku_idx"']);
    expect(fragment!.why).not.toMatch(/14\.0/);
  });

  it('leaves a table created in the same plan to direct', () => {
    expect(createIndexConcurrentlyRule.claims(change, ctx(150000, ['public.items']))).toBe(false);
    expect(newTablesOf([{ kind: 'CreateTable', table: { schema: 'public', name: 'items' }, definition: itemsIndexed }])).toEqual(new Set(['public.items']));
  });

  it('warns on PostgreSQL 14.0–14.3', () => {
    expect([139999, 140000, 140003, 140004].map(hasConcurrentIndexBug)).toEqual([false, true, true, false]);
    const outcome = createIndexConcurrentlyRule.plan(change, ctx(140002));
    expect(outcome?.kind === 'plan' && outcome.fragments[0]!.why).toMatch(/14\.0–14\.3.*corrupt/);
  });

  it('renders unique, partial and expression indexes (snapshot)', async () => {
    const to = { ...items, indexes: [
      index('items_sku_key', ['sku'], { unique: true, where: '(qty > 0)' }),
      { ...index('items_lower_sku_idx', []), keys: [{ column: null, expression: 'lower(sku)', descending: false, nullsNotDefault: false }] },
    ] };
    const { files } = planModels(model([items]), model([to]), 150000);
    expect(files.map((f) => f.base)).toEqual(['000001_index_items_sku', '000002_index_items_expr']);
    await expectFileSnapshots(files, 'create-index-concurrently/unique-partial-expression');
  });

  it('runs on a populated table: valid index, data intact, down restores the catalog', async () => {
    const result = await exercise({
      before: BEFORE,
      target: 'CREATE TABLE items (id serial PRIMARY KEY, sku text, qty integer); CREATE INDEX items_sku_idx ON items (sku);',
      from: model([items]),
      to: model([itemsIndexed]),
      checksum: "select md5(string_agg(sku || ':' || qty, ',' order by id)) as sum from items",
    });
    expect(result.files).toHaveLength(1);
  });

  describe('writes do not wait during the build', () => {
    let db: TestDatabase | undefined;
    const clients: Client[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) await c.end().catch(() => undefined);
      await db?.drop();
    });

    it('an INSERT from another connection never waits for a lock while CONCURRENTLY builds on 50k rows', async () => {
      db = await createTestDatabase();
      const [migrator, writer, holder, observer] = await Promise.all([db.connect(), db.connect(), db.connect(), db.connect()]);
      clients.push(migrator, writer, holder, observer);
      await migrator.query(`CREATE TABLE items (id serial PRIMARY KEY, sku text, qty integer);
        INSERT INTO items (sku, qty) SELECT md5(g::text), g FROM generate_series(1, 50000) g;`);
      const { files } = planModels(model([items]), model([itemsIndexed]), 150000);
      // A transaction that already wrote to the table: the concurrent build must wait for it, which
      // keeps the build in progress (deterministically) while the writer inserts.
      await holder.query("BEGIN; INSERT INTO items (sku, qty) VALUES ('held', 0)");
      const build = migrator.query(files[0]!.up.content);
      await waitFor(writer, "select count(*) > 0 as ok from pg_stat_progress_create_index where relid = 'items'::regclass");
      const insert = await watchLocks(observer, writer, () => writer.query("INSERT INTO items (sku, qty) VALUES ('during-build', 1)"));
      expect(insert).toEqual({ finished: true, waitedFor: [] });
      // …and it ran during the build: the build is still there, waiting for the holder.
      expect((await observer.query("select count(*)::int as n from pg_stat_progress_create_index where relid = 'items'::regclass")).rows).toEqual([{ n: 1 }]);
      await holder.query('COMMIT');
      await build;
      const { rows } = await writer.query("select indisvalid from pg_index where indexrelid = 'items_sku_idx'::regclass");
      expect(rows[0]!.indisvalid).toBe(true);
    });
  });
});
