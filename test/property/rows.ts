/**
 * Rows for a populated first schema, and the `--backfill` decisions a second one needs.
 *
 * Every table gets the same number of rows, inserted in spec order (a foreign key only ever points at a
 * table built earlier), so their ids are 1..n and row i of any table may reference id i of any other.
 */
import { backfillKey } from '../../src/planner/decisions';
import { ident, qualified } from '../../src/sql/quote';
import { backfillValue, rowValue } from './column-kinds';
import { findTable, typed, type SchemaSpec } from './spec';

/** One INSERT per table (none when `rows` is 0). */
export function insertStatements(spec: SchemaSpec, rows: number): string[] {
  if (rows === 0) return [];
  return spec.tables.map((table) => {
    const valuesOf = (i: number) => table.columns.map((c) => rowValue(typed(spec, c), i));
    const tuples = Array.from({ length: rows }, (_, k) => `(${valuesOf(k + 1).join(', ')})`);
    // A zero-column SELECT inserts `rows` rows of defaults (the mutations may leave a table with only id).
    if (table.columns.length === 0) return `INSERT INTO ${qualified(table)} SELECT FROM generate_series(1, ${rows})`;
    return `INSERT INTO ${qualified(table)} (${table.columns.map((c) => ident(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`;
  });
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
      const was = old.columns.find((c) => c.name === column.name);
      const needsValue = was ? was.nullable && !column.nullable : !column.nullable && column.defaultIndex === null;
      if (needsValue) decisions.set(backfillKey(table.schema, table.name, column.name), backfillValue(typed(after, column)));
    }
  }
  return decisions;
}
