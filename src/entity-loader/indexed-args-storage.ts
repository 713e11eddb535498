/**
 * TypeORM's metadata builder asks its decorator storage (`MetadataArgsStorage`) for each entity's
 * columns, relations, indexes, … and every such call scans the whole list of that kind (`filter` by
 * target): quadratic in the entity count, ~2.5 s of CPU at 1,000 entities. While pgshift builds the
 * metadata, those calls read an index by target instead: each method runs TypeORM's own code unchanged,
 * on the list narrowed to the items of the asked-for target(s), in their original order — so the
 * answer is the one the full scan gives. The methods go back to TypeORM's when the build is done.
 */

type Target = unknown;
interface Item { readonly target?: Target }
type Storage = Record<string, unknown>;

/** Method → the storage list it scans, for the methods whose first argument is the target (or targets). */
const NARROWED: Readonly<Record<string, string>> = {
  filterTables: 'tables',
  filterColumns: 'columns',
  findGenerated: 'generations',
  findTree: 'trees',
  filterRelations: 'relations',
  filterRelationIds: 'relationIds',
  filterIndices: 'indices',
  filterForeignKeys: 'foreignKeys',
  filterUniques: 'uniques',
  filterChecks: 'checks',
  filterExclusions: 'exclusions',
  filterListeners: 'entityListeners',
  filterEmbeddeds: 'embeddeds',
  findJoinTable: 'joinTables',
  filterJoinColumns: 'joinColumns',
  findInheritanceType: 'inheritances',
  findDiscriminatorValue: 'discriminatorValues',
};

interface ListIndex {
  readonly length: number;
  readonly byTarget: Map<Target, Array<{ readonly at: number; readonly item: Item }>>;
}

function indexList(list: readonly Item[]): ListIndex {
  const byTarget: ListIndex['byTarget'] = new Map();
  list.forEach((item, at) => {
    const entries = byTarget.get(item?.target) ?? [];
    entries.push({ at, item });
    byTarget.set(item?.target, entries);
  });
  return { length: list.length, byTarget };
}

/** The items of `target` (or of any of `target`'s entries), in the list's order. */
function narrow(index: ListIndex, target: Target): Item[] {
  if (!Array.isArray(target)) return (index.byTarget.get(target) ?? []).map((e) => e.item);
  return [...new Set(target)].flatMap((t) => index.byTarget.get(t) ?? []).sort((a, b) => a.at - b.at).map((e) => e.item);
}

/** Runs `fn` with the storage's lookups indexed; TypeORM's own methods are back afterwards. */
export async function withIndexedArgsStorage<T>(storage: object, fn: () => Promise<T>): Promise<T> {
  const s = storage as Storage;
  const installed: string[] = [];
  const indexes = new Map<string, ListIndex>();
  const indexFor = (field: string, list: readonly Item[]): ListIndex => {
    const cached = indexes.get(field);
    if (cached && cached.length === list.length) return cached; // a list that grew is indexed again
    const built = indexList(list);
    indexes.set(field, built);
    return built;
  };
  for (const [method, field] of Object.entries(NARROWED)) {
    const original = s[method];
    if (typeof original !== 'function' || !Array.isArray(s[field]) || Object.prototype.hasOwnProperty.call(s, method)) continue;
    s[method] = function narrowed(this: Storage, target: Target, ...rest: unknown[]) {
      const list = this[field] as Item[];
      // TypeORM's method, reading a view of the storage whose list holds only the target's items.
      const view = Object.create(this) as Storage;
      view[field] = narrow(indexFor(field, list), target);
      return (original as (...args: unknown[]) => unknown).call(view, target, ...rest);
    };
    installed.push(method);
  }
  try {
    return await fn();
  } finally {
    for (const method of installed) delete s[method];
  }
}
