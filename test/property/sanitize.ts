/**
 * Keeps a spec valid after the generators had their way with it: drops what points at something that is
 * gone (columns, tables, enums), foreign keys whose column type no longer matches the referenced `id`,
 * and indexes/uniques/checks whose derived name repeats (TypeORM names an index on (a, b) and one on
 * (b, a) alike), so every name in the built model is unique where Postgres needs it to be.
 */
import { canBeUnique, checkExpression } from './column-kinds';
import { uniqueName } from './names';
import { findEnum, findTable, indexNameOf, pkKindType, type ColumnSpec, type SchemaSpec, type TableSpec } from './spec';

function firstByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sanitizeColumn(spec: SchemaSpec, column: ColumnSpec): ColumnSpec | null {
  if (column.kind === 'enum' && !findEnum(spec, column.enumRef)) return null;
  if (column.references) {
    const target = findTable(spec, column.references);
    if (!target || pkKindType(target.pk) !== column.kind) return { ...column, references: null };
  }
  return column;
}

function sanitizeTable(spec: SchemaSpec, table: TableSpec): TableSpec {
  const columns = firstByKey(
    table.columns.flatMap((c) => sanitizeColumn(spec, c) ?? []),
    (c) => c.name,
  ).filter((c) => c.name !== 'id');
  const byName = new Map(columns.map((c) => [c.name, c]));
  const exists = (names: readonly string[]) => names.length > 0 && names.every((n) => byName.has(n)) && new Set(names).size === names.length;
  const uniqueOk = (names: readonly string[]) => names.every((n) => canBeUnique(byName.get(n)!));
  const indexes = firstByKey(
    table.indexes.filter((i) => exists(i.columns) && (!i.unique || uniqueOk(i.columns))),
    (i) => indexNameOf(table, i),
  );
  const uniques = firstByKey(
    table.uniques.filter((u) => exists(u.columns) && uniqueOk(u.columns)),
    (u) => uniqueName(table.name, u.columns),
  );
  const checks = [...new Set(table.checks)].filter((n) => byName.has(n) && checkExpression(byName.get(n)!, n) !== null);
  return { ...table, columns, indexes, uniques, checks };
}

export function sanitize(spec: SchemaSpec): SchemaSpec {
  const tables = firstByKey(spec.tables, (t) => `${t.schema}.${t.name}`);
  const enums = firstByKey(spec.enums, (e) => `${e.schema}.${e.name}`).filter((e) => e.values.length > 0);
  const usedSchemas = [...tables.map((t) => t.schema), ...enums.map((e) => e.schema)];
  const schemas = [...new Set(['public', ...spec.schemas, ...usedSchemas])];
  const base: SchemaSpec = { schemas, enums, tables };
  return { ...base, tables: tables.map((t) => sanitizeTable(base, t)) };
}
