/**
 * The data side of the evolve property: every value of the first schema's rows that the second schema
 * keeps (same column, or the column it was renamed to; widened or not) must read back the same, as text,
 * after the plan and again after its contract. A NULL may have become the `--backfill` constant, if the
 * column became NOT NULL; then it must simply no longer be NULL.
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import { ident, qualified } from '../../src/sql/quote';
import { columnAfter, findTable, type SchemaSpec } from './spec';

/** `schema.table.column` (first spec's names) → id → value as text. */
export type ValueSnapshot = Map<string, Map<number, string | null>>;

async function columnValues(client: Client, table: { schema: string; name: string }, column: string): Promise<Map<number, string | null>> {
  const { rows } = await client.query(`SELECT id::int AS id, ${ident(column)}::text AS v FROM ${qualified(table)}`);
  return new Map(rows.map((r: { id: number; v: string | null }) => [r.id, r.v]));
}

export async function snapshotValues(client: Client, before: SchemaSpec): Promise<ValueSnapshot> {
  const snapshot: ValueSnapshot = new Map();
  for (const table of before.tables) {
    for (const column of table.columns) snapshot.set(`${table.schema}.${table.name}.${column.name}`, await columnValues(client, table, column.name));
  }
  return snapshot;
}

export async function expectValuesKept(client: Client, before: SchemaSpec, after: SchemaSpec, snapshot: ValueSnapshot, when: string): Promise<void> {
  for (const table of before.tables) {
    if (!findTable(after, table)) continue;
    for (const column of table.columns) {
      const now = columnAfter(after, table, column);
      if (!now) continue;
      const was = snapshot.get(`${table.schema}.${table.name}.${column.name}`)!;
      const is = await columnValues(client, table, now.name);
      const where = `${when}: ${table.schema}.${table.name}.${column.name}${now.name === column.name ? '' : ` (now ${now.name})`}`;
      const expected = [...was].map(([id, v]) => [id, v === null && !now.nullable ? 'filled' : v]);
      const actual = [...was.keys()].map((id) => [id, was.get(id) === null && !now.nullable ? (is.get(id) === null ? null : 'filled') : is.get(id)]);
      expect(actual, where).toEqual(expected);
    }
  }
}
