import { describe, expect, it } from 'vitest';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const plain = withPk(table('items', [idColumn(), col('sku', 'text')]));
const indexed = { ...plain, indexes: [index('items_sku_idx', ['sku'], { where: '(sku IS NOT NULL)' })] };

describe('drop-index-concurrently', () => {
  it('asks for --allow-destructive', () => {
    const { plan } = planModels(model([indexed]), model([plain]), 15);
    expect(plan.needs).toEqual([expect.objectContaining({ rule: 'drop-index-concurrently', flag: '--allow-destructive' })]);
  });

  it('with the flag: DROP INDEX CONCURRENTLY alone, contract phase; the down rebuilds it concurrently (snapshot)', async () => {
    const { plan, files } = planModels(model([indexed]), model([plain]), 15, { allowDestructive: true });
    expect(plan.steps).toEqual([expect.objectContaining({ phase: 'contract', transactional: false })]);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS "public"."items_sku_idx"']);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual(['CREATE INDEX CONCURRENTLY "items_sku_idx" ON "public"."items" ("sku") WHERE (sku IS NOT NULL)']);
    await expectFileSnapshots(files, 'drop-index-concurrently/partial');
  });

  it('runs with the flag, and the down restores the partial index', async () => {
    await exercise({
      before: `CREATE TABLE items (id serial PRIMARY KEY, sku text); CREATE INDEX items_sku_idx ON items (sku) WHERE sku IS NOT NULL;
        INSERT INTO items (sku) SELECT 's' || g FROM generate_series(1, 5000) g;`,
      target: 'CREATE TABLE items (id serial PRIMARY KEY, sku text);',
      from: model([indexed]),
      to: model([plain]),
      decisions: { allowDestructive: true },
    });
  });
});
