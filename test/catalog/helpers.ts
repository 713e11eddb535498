/**
 * Small helpers for the catalog tests: a connected client on a fresh database, and lookups in a model.
 */
import type { Client } from 'pg';
import type { Column, SchemaModel, Table } from '../../src/model/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

export interface ConnectedDatabase {
  readonly db: TestDatabase;
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * A fresh database with `setupSql` applied and a client connected to it. Each string runs as one
 * (implicitly transactional) query; use several where a new enum value must be committed before use.
 */
export async function databaseWith(setupSql: string | readonly string[]): Promise<ConnectedDatabase> {
  const db = await createTestDatabase('pgshift_catalog');
  const client = await db.connect();
  try {
    for (const sql of typeof setupSql === 'string' ? [setupSql] : setupSql) {
      if (sql.trim() !== '') await client.query(sql);
    }
  } catch (error) {
    await client.end();
    await db.drop();
    throw error;
  }
  return {
    db,
    client,
    async close() {
      await client.end().catch(() => undefined);
      await db.drop();
    },
  };
}

export function tableOf(model: SchemaModel, name: string, schema = 'public'): Table {
  const table = model.tables.find((t) => t.schema === schema && t.name === name);
  if (!table) throw new Error(`no table ${schema}.${name} in the model (has ${model.tables.map((t) => `${t.schema}.${t.name}`).join(', ')})`);
  return table;
}

export function columnOf(table: Table, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`no column ${name} in ${table.schema}.${table.name}`);
  return column;
}

/** Counts the client.query calls (round trips) made while `fn` runs. */
export async function countQueries<T>(client: Client, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const original = client.query;
  let queries = 0;
  client.query = function countingQuery(this: Client, ...args: unknown[]) {
    queries += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof client.query;
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    client.query = original;
  }
}

/**
 * A cooked model without the entity's own spellings of its checks (`given`): what the diff compares,
 * and so what must equal the introspected model.
 */
export function withoutGiven(model: SchemaModel): SchemaModel {
  return { ...model, tables: model.tables.map((t) => ({ ...t, checks: t.checks.map(({ given: _given, ...check }) => check) })) };
}
