/**
 * The indexed decorator-storage lookups (src/entity-loader/indexed-args-storage.ts) answer exactly as
 * TypeORM's own scans, for any storage contents and any target or list of targets — including duplicate
 * property names across an inheritance chain, where TypeORM's order rules decide which item wins.
 */
import fc from 'fast-check';
import { MetadataArgsStorage } from 'typeorm/metadata-args/MetadataArgsStorage';
import { describe, expect, it } from 'vitest';
import { withIndexedArgsStorage } from '../../src/entity-loader/indexed-args-storage';

class A {}
class B extends A {}
class C {}
const TARGETS = [A, B, C, 'named'];

const item = fc.record({ target: fc.constantFrom(...TARGETS), propertyName: fc.constantFrom('id', 'name', 'x'), type: fc.constantFrom('one', 'two') });
const query = fc.oneof(fc.constantFrom(...TARGETS), fc.subarray(TARGETS, { minLength: 0 }), fc.shuffledSubarray(TARGETS));

function fill(storage: MetadataArgsStorage, items: Array<Record<string, unknown>>): void {
  const s = storage as unknown as Record<string, unknown[]>;
  for (const field of ['tables', 'columns', 'relations', 'relationIds', 'indices', 'foreignKeys', 'uniques', 'checks', 'exclusions', 'entityListeners', 'embeddeds', 'generations', 'trees', 'joinTables', 'joinColumns', 'inheritances', 'discriminatorValues']) {
    s[field] = items.map((i) => ({ ...i, field }));
  }
}

function ask(storage: MetadataArgsStorage, target: unknown): unknown[] {
  const t = target as never;
  return [
    storage.filterTables(t), storage.filterColumns(t), storage.filterRelations(t), storage.filterRelationIds(t),
    storage.filterIndices(t), storage.filterForeignKeys(t), storage.filterUniques(t), storage.filterChecks(t),
    storage.filterExclusions(t), storage.filterListeners(t), storage.filterEmbeddeds(t), storage.findGenerated(t, 'name'),
    storage.findTree(t), storage.findJoinTable(t, 'id'), storage.filterJoinColumns(t, 'x'), storage.findInheritanceType(t),
    storage.findDiscriminatorValue(t),
  ];
}

describe('indexed decorator-storage lookups', () => {
  it('give TypeORM\'s own answers, and TypeORM\'s methods are back afterwards', async () => {
    await fc.assert(fc.asyncProperty(fc.array(item, { maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 5 }), async (items, targets) => {
      const storage = new MetadataArgsStorage();
      fill(storage, items);
      const expected = targets.map((t) => ask(storage, t));
      const indexed = await withIndexedArgsStorage(storage, async () => targets.map((t) => ask(storage, t)));
      expect(indexed).toEqual(expected);
      expect(Object.keys(storage).filter((k) => k.startsWith('filter') || k.startsWith('find'))).toEqual([]);
    }), { numRuns: 200 });
  });
});
