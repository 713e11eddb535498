import { describe, expect, it } from 'vitest';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const orders = withPk(table('orders', [idColumn(), col('amount', 'integer')]));
const withCheck = { ...orders, checks: [{ name: 'orders_amount_check', expression: '(amount >= 0)' }] };

describe('add-check-not-valid', () => {
  it('adds the check NOT VALID (instant) and validates it in a later file', async () => {
    const { plan, files } = planModels(model([orders]), model([withCheck]), 15);
    expect(plan.trace.map((t) => t.rule)).toEqual(['add-check-not-valid']);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql))).toEqual([
      ['ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_amount_check" CHECK ((amount >= 0)) NOT VALID'],
      ['ALTER TABLE "public"."orders" VALIDATE CONSTRAINT "orders_amount_check"'],
    ]);
    expect(plan.steps[1]!.why).toMatch(/reads and writes continue.*fails and changes nothing/);
    // Both the ADD and the VALIDATE count the violating rows first (before either lock).
    const violations = { kind: 'check', table: { schema: 'public', name: 'orders' }, constraint: 'orders_amount_check', expression: '(amount >= 0)', primaryKey: ['id'], atPlanTime: true };
    expect(plan.steps.map((s) => s.prechecks)).toEqual([[violations], [violations]]);
    await expectFileSnapshots(files, 'add-check-not-valid/amount');
  });

  it('a check naming a column the same plan adds is counted by up only (not on today\'s data)', () => {
    const withTotal = withPk(table('orders', [idColumn(), col('amount', 'integer'), col('total', 'integer')]));
    const { plan } = planModels(model([orders]), model([{ ...withTotal, checks: [{ name: 'orders_total_check', expression: '(total >= amount)' }] }]), 15);
    const checks = plan.steps.flatMap((s) => s.prechecks ?? []);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.kind === 'check' && !c.atPlanTime)).toBe(true);
  });

  it('is direct on a table created in the same plan', () => {
    const { plan } = planModels(model([]), model([withCheck]), 15);
    expect(plan.trace.map((t) => t.rule)).toEqual(['direct']);
  });

  it('runs: new violating rows are refused after the attach; the end state equals a plain CHECK', async () => {
    await exercise({
      before: `CREATE TABLE orders (id serial PRIMARY KEY, amount integer);
        INSERT INTO orders (amount) SELECT g % 500 FROM generate_series(1, 10000) g;`,
      target: 'CREATE TABLE orders (id serial PRIMARY KEY, amount integer, CONSTRAINT orders_amount_check CHECK (amount >= 0));',
      from: model([orders]),
      to: model([withCheck]),
      checksum: "select sum(amount)::text as sum from orders",
      async afterStep(i, _file, client) {
        if (i === 0) await expect(client.query('INSERT INTO orders (amount) VALUES (-1)')).rejects.toThrow(/orders_amount_check/);
      },
    });
  });
});
