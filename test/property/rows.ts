/**
 * Rows for a populated first schema, and the `--backfill` and `--rename` decisions a second one needs.
 *
 * Every table gets the same number of rows, inserted in spec order (a foreign key only ever points at a
 * table built earlier), so their ids are 1..n and row i of any table may reference id i of any other.
 * A nullable column (not a foreign key) holds NULL in every third row, staggered by column, so that no
 * column has two NULLs in three rows: filled with one `--backfill` constant, it stays unique.
 */
import type { ColumnRename } from '../../src/diff/diff';
import { backfillKey } from '../../src/planner/decisions';
import { ident, qualified } from '../../src/sql/quote';
import { backfillValue, rowValue } from './column-kinds';
import { columnBefore, findTable, typed, type ColumnSpec, type SchemaSpec } from './spec';

export function holdsNull(column: ColumnSpec, columnIndex: number, row: number): boolean {
  return column.nullable && column.references === null && (row + columnIndex) % 3 === 0;
}

/** One INSERT per table (none when `rows` is 0). */
export function insertStatements(spec: SchemaSpec, rows: number): string[] {
  if (rows === 0) return [];
  return spec.tables.map((table) => {
    const valuesOf = (i: number) => table.columns.map((c, k) => (holdsNull(c, k, i) ? 'NULL' : rowValue(typed(spec, c), i)));
    const tuples = Array.from({ length: rows }, (_, k) => `(${valuesOf(k + 1).join(', ')})`);
    // A zero-column SELECT inserts `rows` rows of defaults (the mutations may leave a table with only id).
    if (table.columns.length === 0) return `INSERT INTO ${qualified(table)} SELECT FROM generate_series(1, ${rows})`;
    return `INSERT INTO ${qualified(table)} (${table.columns.map((c) => ident(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`;
  });
}

/** `--rename table.old=new` for every column the mutations renamed (on a table of both specs). */
export function renameDecisions(before: SchemaSpec, after: SchemaSpec): ColumnRename[] {
  return after.tables.flatMap((table) => (findTable(before, table) ? table.columns : [])
    .filter((c) => c.renamedFrom !== null)
    .map((c) => ({ table: { schema: table.schema, name: table.name }, from: c.renamedFrom!, to: c.name })));
}

/**
 * A constant for every column of an existing table that is new and NOT NULL without a default, and for
 * every existing column that becomes NOT NULL (the set-not-null rule fills its NULLs with it, if any).
 */
export function backfillDecisions(before: SchemaSpec, after: SchemaSpec): Map<string, string> {
  const decisions = new Map<string, string>();
  for (const table of after.tables) {
    const old = findTable(before, table);
    if (!old) continue;
    for (const column of table.columns) {
      const was = columnBefore(before, table, column);
      const needsValue = was ? was.nullable && !column.nullable : !column.nullable && column.defaultIndex === null;
      // A foreign key's constant is id 1, which every populated table has (populated-validity.ts).
      const value = column.references ? '1' : backfillValue(typed(after, column));
      if (needsValue) decisions.set(backfillKey(table.schema, table.name, column.name), value);
    }
  }
  return decisions;
}
