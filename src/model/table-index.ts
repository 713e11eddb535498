/**
 * Lookups by name over a model's tables, built once per tables array: the planner asks for a change's
 * table once per change, so a scan per lookup made planning quadratic in the table count (~200 ms at
 * 1,000 tables). Models are immutable once built; the cached index is still rebuilt if the array's
 * length changed, so a model assembled step by step (in tests) never reads a stale index.
 */
import type { QualifiedName, Table } from './schema';

interface TableIndex {
  readonly size: number;
  readonly byName: Map<string, Table>;
  /** Per schema: the names of its relations (tables and indexes, constraints' indexes included). */
  readonly relations: Map<string, Set<string>>;
}

const cache = new WeakMap<readonly Table[], TableIndex>();

/** Unambiguous, unlike `schema.name`: neither part can hold a NUL. */
const key = (schema: string, name: string) => `${schema}\u0000${name}`;

function build(tables: readonly Table[]): TableIndex {
  const byName = new Map<string, Table>();
  const relations = new Map<string, Set<string>>();
  for (const table of tables) {
    const k = key(table.schema, table.name);
    if (!byName.has(k)) byName.set(k, table); // the first one, as a scan would find
    let names = relations.get(table.schema);
    if (!names) relations.set(table.schema, (names = new Set()));
    names.add(table.name);
    for (const index of table.indexes) names.add(index.name);
    for (const unique of table.uniques) names.add(unique.name);
    if (table.primaryKey) names.add(table.primaryKey.name);
  }
  return { size: tables.length, byName, relations };
}

function indexOf(tables: readonly Table[]): TableIndex {
  const cached = cache.get(tables);
  if (cached && cached.size === tables.length) return cached;
  const built = build(tables);
  cache.set(tables, built);
  return built;
}

export function tableNamed(tables: readonly Table[], name: QualifiedName): Table | undefined {
  return indexOf(tables).byName.get(key(name.schema, name.name));
}

/** Whether a table, index or PK/UNIQUE constraint in `schema` is named `name` (one namespace per schema). */
export function relationNamed(tables: readonly Table[], schema: string, name: string): boolean {
  return indexOf(tables).relations.get(schema)?.has(name) ?? false;
}
