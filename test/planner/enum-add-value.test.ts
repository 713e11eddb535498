import { describe, expect, it } from 'vitest';
import { col, model, table } from '../helpers/model';
import { filesText, planFor, render } from './support/expand-harness';
import { runScenario } from './support/scenario';

const STATUS = { schema: 'public', name: 'status' };
const accounts = (statusDefault: string) => table('accounts', [
  col('id', 'integer', { nullable: false }),
  col('status', '', { enumType: STATUS, nullable: false, default: statusDefault }),
], { primaryKey: { name: 'accounts_pkey', columns: ['id'] } });
const before = model([accounts("'active'")], { enums: [{ ...STATUS, values: ['active', 'inactive'] }] });
// A new label in the middle, another at the end, and a default that uses the new label in the same plan.
const after = model([accounts("'paused'")], { enums: [{ ...STATUS, values: ['active', 'paused', 'inactive', 'archived'] }] });

describe('enum-add-value (pure)', () => {
  it('adds each label in its own first file, placed next to its neighbour', () => {
    const plan = planFor(before, after, 15);
    expect(plan.trace.map((t) => t.rule)).toEqual(['enum-add-value', 'enum-add-value', 'change-default']);
    expect(plan.steps.map((s) => s.up.map((u) => u.sql))).toEqual([
      [`ALTER TYPE "public"."status" ADD VALUE IF NOT EXISTS 'paused' BEFORE 'inactive'`],
      [`ALTER TYPE "public"."status" ADD VALUE IF NOT EXISTS 'archived' AFTER 'inactive'`],
      [`ALTER TABLE "public"."accounts" ALTER COLUMN "status" SET DEFAULT 'paused'`],
    ]);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toContainEqual(expect.stringContaining('CREATE TYPE "public"."status__pgshift_new" AS ENUM'));
    expect(plan.steps[0]!.downNote).toContain('accounts.status');
  });

  it('renders reviewable SQL files (snapshots)', async () => {
    for (const [file, text] of Object.entries(filesText(render(planFor(before, after, 15))))) {
      await expect(text).toMatchFileSnapshot(`__snapshots__/enum-add-value/${file}`);
    }
  });
});

describe('enum-add-value on Postgres', () => {
  it('the label is usable in the next file, and the down rebuilds the type without it', async () => {
    await runScenario({
      from: before, to: after,
      seed: [`INSERT INTO accounts (id, status) SELECT g, CASE WHEN g % 2 = 0 THEN 'active'::status ELSE 'inactive'::status END FROM generate_series(1, 5000) g`],
      checksums: { before: 'SELECT id, status::text FROM accounts', afterExpand: 'SELECT id, status::text FROM accounts WHERE id <= 5000', afterContract: 'SELECT id, status::text FROM accounts WHERE id <= 5000' },
      afterExpand: async (c) => {
        expect((await c.query(`INSERT INTO accounts (id) VALUES (5001) RETURNING status`)).rows[0].status).toBe('paused');
        expect((await c.query(`SELECT 'paused'::status < 'inactive'::status AS ordered`)).rows[0].ordered).toBe(true);
      },
      // The down rebuilds the type without the labels; it must fail while a row holds one, so clear them.
      afterContract: async (c) => {
        await c.query(`DELETE FROM accounts WHERE status IN ('paused', 'archived')`);
      },
    });
  });
});
