import { describe, expect, it } from 'vitest';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { planModels } from './safe-helpers';
import { runOnServer } from './support/view-cases';

const columns = [idColumn(), col('room', 'integer', { nullable: false }), col('seat', 'integer', { nullable: false })];
const excl = (expression: string, given?: string) => ({ name: 'no_double_booking', expression, ...(given ? { given } : {}) });
const bookings = (exclusions?: ReturnType<typeof excl>[]) => withPk(table('bookings', columns, exclusions ? { exclusions } : {}));

describe('exclusion-constraint (unit)', () => {
  it('refuses EXCLUDE on an existing table: no NOT VALID, the build blocks reads and writes', () => {
    const { plan } = planModels(model([bookings()]), model([bookings([excl('USING btree (room WITH =)', 'USING btree ("room" WITH =)')])]), 18);
    expect(plan.steps).toEqual([]);
    expect(plan.needs.map((n) => [n.rule, n.flag])).toEqual([['exclusion-constraint', '--allow-destructive']]);
    expect(plan.needs[0]!.reason).toMatch(/EXCLUDE has no NOT VALID and no USING INDEX/);
  });

  it('with the flag: the entity\'s text alone in its file; a new table has it in CREATE TABLE', () => {
    const to = model([bookings([excl('USING btree (room WITH =)', 'USING btree ("room" WITH =)')])]);
    const { plan } = planModels(model([bookings()]), to, 18, { allowDestructive: true });
    expect(plan.steps.map((s) => s.up.map((u) => u.sql))).toEqual([['ALTER TABLE "public"."bookings" ADD CONSTRAINT "no_double_booking" EXCLUDE USING btree ("room" WITH =)']]);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."bookings" DROP CONSTRAINT "no_double_booking"']);
    const created = planModels(model([]), to, 18).plan;
    expect(created.needs).toEqual([]);
    expect(created.steps[0]!.up[0]!.sql).toContain('CONSTRAINT "no_double_booking" EXCLUDE USING btree ("room" WITH =)');
  });

  it('a redefinition drops and adds in one file; a drop needs the flag and is a contract step', () => {
    const from = model([bookings([excl('USING btree (room WITH =)')])]);
    const redefined = planModels(from, model([bookings([excl('USING btree (room WITH =, seat WITH =)')])]), 18, { allowDestructive: true }).plan;
    expect(redefined.steps).toHaveLength(1);
    expect(redefined.steps[0]!.up.map((s) => s.sql.split(' EXCLUDE')[0])).toEqual([
      'ALTER TABLE "public"."bookings" DROP CONSTRAINT "no_double_booking"',
      'ALTER TABLE "public"."bookings" ADD CONSTRAINT "no_double_booking"',
    ]);
    expect(planModels(from, model([bookings()]), 18).plan.needs.map((n) => n.rule)).toEqual(['exclusion-constraint']);
    const dropped = planModels(from, model([bookings()]), 18, { allowDestructive: true }).plan;
    expect(dropped.steps.map((s) => s.phase)).toEqual(['contract']);
  });
});

describe('exclusion-constraint (on the server)', () => {
  it('adds the constraint on a table with rows; it refuses a conflicting row; the down drops it', async () => {
    const before = 'CREATE TABLE bookings (id serial PRIMARY KEY, room integer NOT NULL, seat integer NOT NULL); INSERT INTO bookings (room, seat) SELECT i, i FROM generate_series(1, 300) i;';
    await runOnServer(before, model([bookings([excl('USING btree ("room" WITH =)')])]), { allowDestructive: true }, async (_i, client) => {
      await expect(client.query('INSERT INTO bookings (room, seat) VALUES (1, 9)')).rejects.toThrow(/no_double_booking/);
    });
  });
});
