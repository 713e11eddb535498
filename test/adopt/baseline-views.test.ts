/** Baseline keeps the views the entities describe, as the database has them, and lists the others. */
import { describe, expect, it } from 'vitest';
import { restrictToEntities } from '../../src/pipeline/baseline';
import { col, idColumn, model, table, withPk } from '../helpers/model';

const view = (name: string, reads: string[]) => ({
  schema: 'public', name, materialized: false, definition: ` SELECT 1 FROM ${reads.join(', ')};`, columns: [],
  reads: reads.map((r) => ({ schema: 'public', name: r, columns: [] })), indexes: [],
});

describe('baseline and views', () => {
  it('keeps described views over kept relations; leaves out the rest', () => {
    const items = withPk(table('items', [idColumn(), col('price', 'integer')]));
    const legacy = withPk(table('legacy', [idColumn()]));
    const current = model([items, legacy], { views: [view('a', ['items']), view('b', ['a']), view('c', ['legacy']), view('d', ['items'])] });
    const desired = model([items], { views: [view('a', ['items']), view('b', ['a']), view('c', ['legacy'])] });
    const { model: kept, leftOut } = restrictToEntities(current, desired);
    expect(kept.views?.map((v) => v.name)).toEqual(['a', 'b']);
    expect(leftOut.filter((l) => l.kind === 'view').map((l) => (l as { name: { name: string } }).name.name)).toEqual(['c', 'd']);
  });
});
