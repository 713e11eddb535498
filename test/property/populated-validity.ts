/**
 * What the rows of the first schema allow the second one to ask. The rows (test/property/rows.ts) hold
 * distinct, positive, non-null values, and every table has the same number of rows with ids 1..n, so a
 * column that existed before may become unique, checked or a foreign key to a table that existed before.
 * (An old nullable column may hold one NULL, which a `--backfill` constant distinct from every row value
 * replaces if it becomes NOT NULL — except for a foreign key, whose constant is id 1, like row 1's value.)
 * A new column on an existing table holds, in every existing row, its default, its `--backfill` constant
 * (NOT NULL without default) or NULL: only the last is certain to be unique, only a NULL or the backfill
 * constant is certain to pass the check, and only a NULL, or the backfill constant 1 pointing at an old
 * table, is certain to reference a row. Anything else would be a schema the data rightly refuses — not a
 * planner bug — so it is taken out of the second spec here.
 */
import { columnBefore, findTable, type ColumnSpec, type IndexSpec, type SchemaSpec, type TableSpec } from './spec';

function rowsOf(column: ColumnSpec): 'old values' | 'null' | 'backfill' | 'default' {
  if (column.defaultIndex !== null) return 'default';
  return column.nullable ? 'null' : 'backfill';
}

function keepTable(before: SchemaSpec, table: TableSpec): TableSpec {
  const old = findTable(before, table);
  if (!old) return table; // a new table is empty
  const now = (name: string) => table.columns.find((c) => c.name === name)!;
  const state = (name: string) => (columnBefore(before, table, now(name)) ? 'old values' : rowsOf(now(name)));
  const refilledWithOne = (name: string) => {
    const was = columnBefore(before, table, now(name));
    return was !== undefined && was.nullable && !now(name).nullable && now(name).references !== null;
  };
  const canBeUnique = (names: readonly string[]) => names.some((n) => (state(n) === 'old values' && !refilledWithOne(n)) || state(n) === 'null');
  const canBeChecked = (name: string) => state(name) !== 'default';
  const canReference = (column: ColumnSpec) => {
    if (!column.references) return true;
    const targetIsOld = findTable(before, column.references) !== undefined;
    const rows = state(column.name);
    return rows === 'null' || (targetIsOld && (rows === 'old values' || rows === 'backfill'));
  };
  const index = (i: IndexSpec): IndexSpec => (i.unique && !canBeUnique(i.columns) ? { ...i, unique: false } : i);
  return {
    ...table,
    columns: table.columns.map((c) => (canReference(c) ? c : { ...c, references: null })),
    indexes: table.indexes.map(index),
    uniques: table.uniques.filter((u) => canBeUnique(u.columns)),
    checks: table.checks.filter(canBeChecked),
  };
}

export function keepPopulatedRowsValid(before: SchemaSpec, after: SchemaSpec): SchemaSpec {
  return { ...after, tables: after.tables.map((t) => keepTable(before, t)) };
}
