import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/diff/diff';
import { partitionByContracts } from '../../src/planner/contracts';
import { typeChangeCost } from '../../src/planner/type-change-facts';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { decisions, filesText, planFor, render, renderContracts } from './support/expand-harness';
import { runScenario } from './support/scenario';

const ROWS = 6000;
const cost = (from: string, to: string) => typeChangeCost(col('c', from), col('c', to));
const orders = (amountType: string, extra: Partial<Parameters<typeof table>[2]> = {}) => model([withPk(table('orders', [
  idColumn(), col('amount', amountType, { nullable: false, default: '0' }), col('note', 'character varying(50)'), col('price', 'numeric(10,2)'),
], { indexes: [index('orders_amount_idx', ['amount'])], uniques: [{ name: 'orders_amount_id_key', columns: ['amount', 'id'], deferrable: 'not deferrable' }], ...extra }))]);
const withColumn = (m: ReturnType<typeof orders>, name: string, patch: object) => model(m.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.name === name ? { ...c, ...patch } : c)) })));
const SEED = [`INSERT INTO orders (amount, note, price) SELECT g, 'n' || g, g / 7.0 FROM generate_series(1, ${ROWS}) g`];

describe('alter-column-type (pure)', () => {
  it('knows which changes are catalog-only, which rewrite, and which may lose data', () => {
    expect(cost('character varying(50)', 'character varying(200)')).toBe('in-place');
    expect(cost('character varying(50)', 'text')).toBe('in-place');
    expect(cost('text', 'character varying')).toBe('in-place');
    expect(cost('numeric(10,2)', 'numeric(12,2)')).toBe('in-place');
    expect(cost('numeric(10,2)', 'numeric')).toBe('in-place');
    expect(cost('timestamp(3) without time zone', 'timestamp without time zone')).toBe('in-place');
    expect(cost('cidr', 'inet')).toBe('in-place');
    expect(cost('integer', 'bigint')).toBe('widening');
    expect(cost('numeric(10,2)', 'numeric(12,4)')).toBe('widening');
    expect(cost('timestamp without time zone', 'timestamp with time zone')).toBe('widening');
    expect(cost('character varying(100)', 'character varying(50)')).toBe('narrowing');
    expect(cost('numeric(10,4)', 'numeric(10,2)')).toBe('narrowing');
    expect(cost('bigint', 'integer')).toBe('narrowing');
    expect(cost('text', 'integer')).toBe('narrowing');
  });

  it('widens a varchar in place, in one instant statement', () => {
    const plan = planFor(orders('integer'), withColumn(orders('integer'), 'note', { dataType: 'character varying(200)' }), 15);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => [s.sql, s.duration])).toEqual([['ALTER TABLE "public"."orders" ALTER COLUMN "note" TYPE varchar(200)', 'instant']]);
  });

  it('refuses a narrowing change, names --allow-destructive and describes the rows at risk', () => {
    const plan = planFor(orders('integer'), withColumn(orders('integer'), 'note', { dataType: 'character varying(20)' }), 15);
    expect(plan.needs).toHaveLength(1);
    expect(plan.needs[0]).toMatchObject({ rule: 'alter-column-type', flag: '--allow-destructive' });
    expect(plan.needs[0]!.reason).toContain('SELECT count(*) FROM "public"."orders" WHERE length("note") > 20');
  });

  it('refuses a primary-key column with the manual path, and runs the plain ALTER under --allow-destructive', () => {
    const to = model(orders('integer').tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.name === 'id' ? { ...c, dataType: 'bigint' } : c)) })));
    const refused = planFor(orders('integer'), to, 15);
    expect(refused.needs[0]!.reason).toContain('primary key');
    expect(refused.needs[0]!.reason).toContain('Manual path');
    const forced = planFor(orders('integer'), to, 15, decisions({ allowDestructive: true }));
    expect(forced.trace.map((t) => t.rule)).toContain('direct');
  });

  it('refuses a rewriting change when the same plan adds an index on that column (the swap would drop it)', () => {
    const before = orders('integer');
    const after = model(orders('bigint').tables.map((t) => ({ ...t, indexes: [...t.indexes, index('orders_amount_note_idx', ['amount', 'note'])] })));
    const plan = planFor(before, after, 15);
    expect(plan.needs.map((n) => n.rule)).toContain('alter-column-type');
    expect(plan.needs.find((n) => n.rule === 'alter-column-type')!.reason).toContain('index orders_amount_note_idx');
  });

  it('moves only the indexes and uniques the entities keep: one the same plan drops is not rebuilt for the contract', () => {
    const after = model(orders('bigint').tables.map((t) => ({ ...t, indexes: [], uniques: [] })));
    const plan = planFor(orders('integer'), after, 15, decisions({ allowDestructive: true }));
    expect(plan.needs).toEqual([]);
    const sql = [...plan.steps, ...plan.contracts.flatMap((c) => c.fragments)].flatMap((s) => [...s.up, ...s.down]).map((s) => s.sql).join('\n');
    expect(sql).not.toContain('__pgshift_new" ON');
    expect(sql).not.toContain('orders_amount_idx__pgshift_new');
    expect(sql).not.toContain('orders_amount_id_key__pgshift_new');
    expect(sql).toContain('DROP INDEX CONCURRENTLY IF EXISTS "public"."orders_amount_idx"');
  });

  it('refuses a rewriting change when the same plan redefines an index on that column', () => {
    const after = model(orders('bigint').tables.map((t) => ({ ...t, indexes: [index('orders_amount_idx', ['amount', 'note'])] })));
    const plan = planFor(orders('integer'), after, 15);
    expect(plan.needs.find((n) => n.rule === 'alter-column-type')!.reason).toContain('redefines index orders_amount_idx');
  });

  it('covers exactly what the re-diff shows after the expand', () => {
    const plan = planFor(orders('integer'), orders('bigint'), 15);
    expect(plan.needs).toEqual([]);
    const shadow = col('amount__pgshift_new', 'bigint', { nullable: false });
    const afterExpand = model([{ ...orders('integer').tables[0]!, columns: [...orders('integer').tables[0]!.columns, shadow],
      indexes: [index('orders_amount_idx', ['amount']), index('orders_amount_idx__pgshift_new', ['amount__pgshift_new']), index('orders_amount_id_key__pgshift_new', ['amount__pgshift_new', 'id'], { unique: true })] }]);
    const rediff = diffModels(afterExpand, orders('bigint')).changes;
    expect(rediff.map((c) => c.kind).sort()).toEqual(['AlterColumnType', 'DropColumn', 'DropIndex', 'DropIndex']);
    expect(partitionByContracts(rediff, plan.contracts.map((c) => ({ ...c, expandVersion: 1 }))).rest).toEqual([]);
  });

  it('renders reviewable SQL files (snapshots)', async () => {
    const cases = [
      ['varchar-widen', orders('integer'), withColumn(orders('integer'), 'note', { dataType: 'text' }), 15],
      ['integer-to-bigint-pg15', orders('integer'), orders('bigint'), 15],
      ['integer-to-bigint-pg18', orders('integer'), orders('bigint'), 18],
      ['numeric-scale', orders('integer'), withColumn(orders('integer'), 'price', { dataType: 'numeric(12,4)' }), 15],
    ] as const;
    for (const [name, from, to, version] of cases) {
      const plan = planFor(from, to, version);
      const files = { ...filesText(render(plan)), ...filesText(renderContracts(plan.contracts, plan.steps.length)) };
      for (const [file, text] of Object.entries(files)) await expect(text).toMatchFileSnapshot(`__snapshots__/alter-column-type/${name}/${file}`);
    }
  });
});

describe('alter-column-type on Postgres', () => {
  it('widens a varchar in place', async () => {
    await runScenario({
      from: orders('integer'), to: withColumn(orders('integer'), 'note', { dataType: 'character varying(200)' }), seed: SEED,
      checksums: { before: 'SELECT id, note FROM orders', afterExpand: 'SELECT id, note FROM orders', afterContract: 'SELECT id, note FROM orders' },
      afterExpand: async (c) => {
        await c.query(`INSERT INTO orders (amount, note) VALUES (1, repeat('x', 150))`);
        await c.query(`DELETE FROM orders WHERE note = repeat('x', 150)`);
      },
    });
  });

  it('integer → bigint through a shadow column, indexes rebuilt concurrently, swapped in the contract', async () => {
    await runScenario({
      from: orders('integer'), to: orders('bigint'), seed: SEED,
      // The swap renames the shadow column (no client knows it) and drops the old one (no longer read).
      checksums: {
        before: `SELECT id, amount::text FROM orders WHERE id > 1 AND id <= ${ROWS}`,
        afterExpand: `SELECT id, amount__pgshift_new::text FROM orders WHERE id > 1 AND id <= ${ROWS}`,
        afterContract: `SELECT id, amount::text FROM orders WHERE id > 1 AND id <= ${ROWS}`,
      },
      afterExpand: async (c) => {
        expect((await c.query('SELECT count(*)::int AS n FROM orders WHERE amount__pgshift_new IS DISTINCT FROM amount')).rows[0].n).toBe(0);
        const oldApp = await c.query(`INSERT INTO orders (amount, note) VALUES (2000000000, 'old') RETURNING amount__pgshift_new`);
        expect(oldApp.rows[0].amount__pgshift_new).toBe('2000000000');
        const byDefault = await c.query(`INSERT INTO orders (note) VALUES ('default') RETURNING amount__pgshift_new`);
        expect(byDefault.rows[0].amount__pgshift_new).toBe('0');
        expect((await c.query(`UPDATE orders SET amount = -5 WHERE id = 1 RETURNING amount__pgshift_new`)).rows[0].amount__pgshift_new).toBe('-5');
        const valid = await c.query(`SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%pgshift_new' AND i.indisvalid`);
        expect(valid.rows[0].n).toBe(2);
      },
      afterContract: async (c) => {
        const big = await c.query(`INSERT INTO orders (amount, note) VALUES (9000000000, 'big') RETURNING amount`);
        expect(big.rows[0].amount).toBe('9000000000');
        // The down converts back to integer and would (rightly) fail on this row.
        await c.query(`DELETE FROM orders WHERE amount = 9000000000`);
        await expect(c.query(`INSERT INTO orders (id, amount) VALUES (1, -5)`)).rejects.toThrow(/duplicate key/);
      },
    });
  });

  it('integer → bigint while the same plan drops the index on the column: the contract does not bring it back', async () => {
    await runScenario({
      from: orders('integer'), to: model(orders('bigint').tables.map((t) => ({ ...t, indexes: [] }))), seed: SEED,
      decisions: decisions({ allowDestructive: true }),
      afterContract: async (c) => {
        const left = await c.query(`SELECT relname FROM pg_class WHERE relname LIKE 'orders_amount%' AND relkind = 'i' ORDER BY 1`);
        expect(left.rows.map((r) => r.relname)).toEqual(['orders_amount_id_key']);
      },
    });
  });

  it('numeric scale change through a shadow column', async () => {
    await runScenario({
      from: orders('integer'), to: withColumn(orders('integer'), 'price', { dataType: 'numeric(12,4)' }), seed: SEED,
      checksums: {
        before: 'SELECT id, price::numeric(12,4)::text FROM orders',
        afterExpand: 'SELECT id, price__pgshift_new::text FROM orders',
        afterContract: 'SELECT id, price::text FROM orders',
      },
      afterExpand: async (c) => {
        expect((await c.query(`UPDATE orders SET price = 1.5 WHERE id = 1 RETURNING price__pgshift_new::text AS p`)).rows[0].p).toBe('1.5000');
        await c.query(`UPDATE orders SET price = 1 / 7.0 WHERE id = 1`);
      },
    });
  });
});
