import { describe, expect, it } from 'vitest';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { planModels } from './safe-helpers';
import { runOnServer } from './support/view-cases';

const base = [idColumn(), col('price', 'integer')];
const items = (extra = base) => withPk(table('items', extra));
const doubled = (expression: string, given?: string) =>
  col('doubled', 'integer', { generated: { expression, ...(given ? { given } : {}) } });

describe('generated-column-rewrite (unit)', () => {
  it('refuses a new generated column on an existing table, naming the rewrite and the flag', () => {
    const { plan } = planModels(model([items()]), model([items([...base, doubled('(price * 2)', '"price" * 2')])]), 18);
    expect(plan.steps).toEqual([]);
    expect(plan.needs).toHaveLength(1);
    expect(plan.needs[0]!.rule).toBe('generated-column-rewrite');
    expect(plan.needs[0]!.flag).toBe('--allow-destructive');
    expect(plan.needs[0]!.reason).toMatch(/rewritten under ACCESS EXCLUSIVE/);
  });

  it('with the flag: the entity\'s expression, alone in its file; a new table takes it directly', () => {
    const { plan } = planModels(model([items()]), model([items([...base, doubled('(price * 2)', '"price" * 2')])]), 18, { allowDestructive: true });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."items" ADD COLUMN "doubled" integer GENERATED ALWAYS AS ("price" * 2) STORED']);
    expect(plan.steps[0]!.up[0]!.rewrites).toBe(true);
    const created = planModels(model([]), model([items([...base, doubled('(price * 2)', '"price" * 2')])]), 18).plan;
    expect(created.needs).toEqual([]);
    expect(created.steps[0]!.up[0]!.sql).toContain('"doubled" integer GENERATED ALWAYS AS ("price" * 2) STORED');
  });

  it('a changed expression: SET EXPRESSION on 17+, drop and re-add (with its indexes) before', () => {
    const indexed = (t: ReturnType<typeof items>) => ({ ...t, indexes: [{ name: 'items_doubled_idx', keys: [{ column: 'doubled', expression: null, descending: false, nullsNotDefault: false }], unique: false, method: 'btree', where: null }] });
    const from = model([indexed(items([...base, doubled('(price * 2)')]))]);
    const to = model([indexed(items([...base, doubled('(price * 3)', '"price" * 3')]))]);
    expect(planModels(from, to, 18).plan.needs.map((n) => n.rule)).toEqual(['generated-column-rewrite']);
    const on18 = planModels(from, to, 18, { allowDestructive: true }).plan;
    expect(on18.steps[0]!.up.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."items" ALTER COLUMN "doubled" SET EXPRESSION AS ("price" * 3)']);
    expect(on18.steps[0]!.down.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."items" ALTER COLUMN "doubled" SET EXPRESSION AS ((price * 2))']);
    const on15 = planModels(from, to, 15, { allowDestructive: true }).plan;
    expect(on15.steps[0]!.up.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."items" DROP COLUMN "doubled"',
      'ALTER TABLE "public"."items" ADD COLUMN "doubled" integer GENERATED ALWAYS AS ("price" * 3) STORED',
      'CREATE INDEX "items_doubled_idx" ON "public"."items" ("doubled")',
    ]);
  });

  it('dropping the expression is catalog only and needs no flag', () => {
    const { plan } = planModels(model([items([...base, doubled('(price * 2)')])]), model([items([...base, col('doubled', 'integer')])]), 15);
    expect(plan.needs).toEqual([]);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."items" ALTER COLUMN "doubled" DROP EXPRESSION']);
  });
});

describe('generated-column-rewrite (on the server)', () => {
  const before = 'CREATE TABLE items (id serial PRIMARY KEY, price integer); INSERT INTO items (price) SELECT i FROM generate_series(1, 500) i;';
  const raw = (expression: string) => model([items([...base, col('doubled', 'integer', { generated: { expression } })])]);

  it('adds the column, computes every row, and the down drops it', async () => {
    await runOnServer(before, raw('"price" * 2'), { allowDestructive: true }, async (_i, client) => {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM items WHERE doubled = price * 2');
      expect(rows[0].n).toBe(500);
    });
  });

  it('changes the expression (SET EXPRESSION or re-add) and back', async () => {
    const withDoubled = `${before} ALTER TABLE items ADD COLUMN doubled integer GENERATED ALWAYS AS (price * 2) STORED; CREATE INDEX items_doubled_idx ON items (doubled);`;
    const indexed = { ...raw('"price" * 3'), tables: raw('"price" * 3').tables.map((t) => ({ ...t, indexes: [{ name: 'items_doubled_idx', keys: [{ column: 'doubled', expression: null, descending: false, nullsNotDefault: false }], unique: false, method: 'btree', where: null }] })) };
    await runOnServer(withDoubled, indexed, { allowDestructive: true }, async (_i, client) => {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM items WHERE doubled = price * 3');
      expect(rows[0].n).toBe(500);
    });
  });
});
