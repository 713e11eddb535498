import { describe, expect, it } from 'vitest';
import { col, model, table } from '../helpers/model';
import type { CatalogSnapshot } from '../helpers/catalog-snapshot';
import { decisions, filesText, planFor, render, renderContracts } from './support/expand-harness';
import { runScenario } from './support/scenario';

const ROWS = 5000;
const columns = [col('id', 'integer', { nullable: false }), col('total', 'integer', { nullable: false, default: '0' })];
// The entity keeps the constraint name the table has (the diff matches constraints by structure anyway).
const pk = { name: 'orders_pkey', columns: ['id'] };
const before = model([table('orders', columns, { primaryKey: pk })]);
const after = model([table('purchases', columns, { primaryKey: pk })]);
const rename = decisions({ tableRenames: [{ from: { schema: 'public', name: 'orders' }, to: { schema: 'public', name: 'purchases' } }] });
// PG 18 names NOT NULL constraints after the table at creation; a renamed table keeps the old names.
const withoutNotNullNames = (s: CatalogSnapshot): CatalogSnapshot => ({ ...s, constraints: s.constraints!.filter((l) => !/ NOT NULL /.test(l)) });

describe('rename-table (pure)', () => {
  it('asks whether a vanished table and a new one of the same shape are a rename', () => {
    const plan = planFor(before, after, 15);
    expect(plan.needs).toHaveLength(1);
    expect(plan.needs[0]).toMatchObject({ rule: 'rename-table' });
    expect(plan.needs[0]!.flag).toContain('--rename orders=purchases');
    expect(planFor(before, after, 15, decisions({ allowDestructive: true })).needs).toEqual([]);
  });

  it('renames and keeps the old name as a view in one transaction; the contract drops the view', () => {
    const plan = planFor(before, after, 15, rename);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => s.sql).slice(0, 2)).toEqual([
      'ALTER TABLE "public"."orders" RENAME TO "purchases"',
      'CREATE VIEW "public"."orders" AS SELECT * FROM "public"."purchases"',
    ]);
    // Then the usage bookkeeping and the trigger that notices writes through the view (contract-usage.ts).
    expect(plan.steps[0]!.up.map((s) => s.sql.split('\n')[0]).slice(2)).toEqual([
      'CREATE TABLE IF NOT EXISTS "public"."pgshift_contract_usage" (',
      'CREATE OR REPLACE FUNCTION "public"."pgshift_contract_note_write"(p_contract text) RETURNS void',
      'CREATE OR REPLACE FUNCTION "public"."pgshift_contract_reads"(p_table text, p_column text) RETURNS jsonb',
      'INSERT INTO "public"."pgshift_contract_usage" (contract, shape, watch_table, watch_column, reads_snapshots)',
      'CREATE FUNCTION "public"."pgshift_watch_orders"() RETURNS trigger LANGUAGE plpgsql AS $pgshift_trigger$',
      'CREATE TRIGGER "pgshift_watch_orders" AFTER INSERT OR UPDATE OR DELETE ON "public"."purchases" FOR EACH STATEMENT EXECUTE FUNCTION "public"."pgshift_watch_orders"()',
    ]);
    expect(plan.contracts[0]!.fragments[0]!.up.map((s) => s.sql)).toEqual([
      'DROP VIEW IF EXISTS "public"."orders"',
      'DROP TRIGGER IF EXISTS "pgshift_watch_orders" ON "public"."purchases"',
      'DROP FUNCTION IF EXISTS "public"."pgshift_watch_orders"()',
      `DELETE FROM "public"."pgshift_contract_usage" WHERE contract = 'rename-table:public.orders'`,
    ]);
  });

  it('renders reviewable SQL files (snapshots)', async () => {
    const plan = planFor(before, after, 15, rename);
    const files = { ...filesText(render(plan)), ...filesText(renderContracts(plan.contracts, plan.steps.length)) };
    for (const [file, text] of Object.entries(files)) await expect(text).toMatchFileSnapshot(`__snapshots__/rename-table/${file}`);
  });
});

describe('rename-table on Postgres', () => {
  it('old clients read and write through the view until the contract drops it', async () => {
    await runScenario({
      from: before, to: after, decisions: rename, normalize: withoutNotNullNames,
      seed: [`INSERT INTO orders (id, total) SELECT g, g * 3 FROM generate_series(1, ${ROWS}) g`],
      // The old name stays readable and writable through the view created in the same transaction.
      checksums: {
        before: `SELECT id, total::text FROM orders WHERE id > 1`,
        afterExpand: `SELECT id, total::text FROM purchases WHERE id > 1 AND id <= ${ROWS}`,
        afterContract: `SELECT id, total::text FROM purchases WHERE id > 1 AND id <= ${ROWS}`,
      },
      afterExpand: async (c) => {
        await c.query(`INSERT INTO orders (id, total) VALUES (${ROWS + 1}, 7)`);
        expect((await c.query(`SELECT total FROM purchases WHERE id = ${ROWS + 1}`)).rows[0].total).toBe(7);
        await c.query(`UPDATE orders SET total = 9 WHERE id = 1`);
        expect((await c.query(`SELECT total FROM purchases WHERE id = 1`)).rows[0].total).toBe(9);
        await c.query(`INSERT INTO purchases (id) VALUES (${ROWS + 2})`);
        expect((await c.query(`SELECT total FROM orders WHERE id = ${ROWS + 2}`)).rows[0].total).toBe(0);
        await c.query(`DELETE FROM orders WHERE id = ${ROWS + 2}`);
        expect((await c.query('SELECT count(*)::int AS n FROM purchases')).rows[0].n).toBe(ROWS + 1);
      },
      afterContract: async (c) => {
        await expect(c.query('SELECT 1 FROM orders')).rejects.toThrow(/does not exist/);
      },
    });
  });
});
