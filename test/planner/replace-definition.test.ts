import { describe, expect, it } from 'vitest';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const base = withPk(table('items', [idColumn(), col('sku', 'text'), col('qty', 'integer')]));
const BEFORE = `
  CREATE TABLE items (id serial PRIMARY KEY, sku text, qty integer, CONSTRAINT items_qty_check CHECK (qty >= 0), CONSTRAINT items_sku_key UNIQUE (sku));
  CREATE INDEX items_lookup_idx ON items (sku);
  INSERT INTO items (sku, qty) SELECT 's' || g, g FROM generate_series(1, 5000) g;`;
const from = { ...base, indexes: [index('items_lookup_idx', ['sku'])], checks: [{ name: 'items_qty_check', expression: '(qty >= 0)' }], uniques: [{ name: 'items_sku_key', columns: ['sku'], deferrable: 'not deferrable' as const }] };
const to = {
  ...base,
  indexes: [index('items_lookup_idx', ['sku', 'qty'])],
  checks: [{ name: 'items_qty_check', expression: '(qty > 0)' }],
  uniques: [{ name: 'items_sku_key', columns: ['sku', 'qty'], deferrable: 'not deferrable' as const }],
};

describe('replace-definition', () => {
  it('needs no flag: a redefined index, check and unique keep their names and are never missing', async () => {
    const { plan, files } = planModels(model([from]), model([to]), 15);
    expect(plan.needs).toEqual([]);
    expect(plan.trace.map((t) => `${t.change.kind}:${t.rule}`)).toEqual([
      'DropUnique:replace-definition', 'DropCheck:replace-definition', 'DropIndex:replace-definition',
      'AddUnique:add-unique-using-index', 'CreateIndex:create-index-concurrently', 'AddCheck:add-check-not-valid',
    ]);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql))).toEqual([
      ['ALTER INDEX "public"."items_lookup_idx" RENAME TO "items_lookup_idx_pgshift_old"'],
      ['CREATE UNIQUE INDEX CONCURRENTLY "items_sku_key_pgshift_new" ON "public"."items" ("sku", "qty")'],
      ['CREATE INDEX CONCURRENTLY "items_lookup_idx" ON "public"."items" ("sku", "qty")'],
      [
        'ALTER TABLE "public"."items" DROP CONSTRAINT "items_sku_key"',
        'ALTER TABLE "public"."items" DROP CONSTRAINT "items_qty_check"',
        'ALTER TABLE "public"."items" ADD CONSTRAINT "items_sku_key" UNIQUE USING INDEX "items_sku_key_pgshift_new"',
        'ALTER TABLE "public"."items" ADD CONSTRAINT "items_qty_check" CHECK ((qty > 0)) NOT VALID',
      ],
      ['ALTER TABLE "public"."items" VALIDATE CONSTRAINT "items_qty_check"'],
      ['DROP INDEX CONCURRENTLY IF EXISTS "public"."items_lookup_idx_pgshift_old"'],
    ]);
    await expectFileSnapshots(files, 'replace-definition/index-unique-check');
  });

  it('runs: end state equals the plain DDL, the down restores every old definition', async () => {
    await exercise({
      before: BEFORE,
      target: `CREATE TABLE items (id serial PRIMARY KEY, sku text, qty integer, CONSTRAINT items_qty_check CHECK (qty > 0), CONSTRAINT items_sku_key UNIQUE (sku, qty));
        CREATE INDEX items_lookup_idx ON items (sku, qty);`,
      from: model([from]),
      to: model([to]),
      checksum: "select md5(string_agg(sku || qty, ',' order by id)) as sum from items",
    });
  });

  it('replaces a primary key: new index concurrently under a temporary name, swap in one transaction', async () => {
    const pairs = (pk: string[]) => table('pairs', [col('a', 'integer', { nullable: false }), col('b', 'integer', { nullable: false })], { primaryKey: { name: 'pairs_pkey', columns: pk } });
    const { plan } = planModels(model([pairs(['a'])]), model([pairs(['a', 'b'])]), 15);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql))).toEqual([
      ['CREATE UNIQUE INDEX CONCURRENTLY "pairs_pkey_pgshift_new" ON "public"."pairs" ("a", "b")'],
      ['ALTER TABLE "public"."pairs" DROP CONSTRAINT "pairs_pkey"', 'ALTER TABLE "public"."pairs" ADD CONSTRAINT "pairs_pkey" PRIMARY KEY USING INDEX "pairs_pkey_pgshift_new"'],
    ]);
    await exercise({
      before: 'CREATE TABLE pairs (a integer NOT NULL PRIMARY KEY, b integer NOT NULL); INSERT INTO pairs SELECT g, g FROM generate_series(1, 3000) g;',
      target: 'CREATE TABLE pairs (a integer NOT NULL, b integer NOT NULL, CONSTRAINT pairs_pkey PRIMARY KEY (a, b));',
      from: model([pairs(['a'])]),
      to: model([pairs(['a', 'b'])]),
    });
  });
});
