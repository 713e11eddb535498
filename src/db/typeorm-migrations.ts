/**
 * TypeORM's own migrations table (`migrations` by default: id, timestamp, name), read-only. pgshift never
 * writes it; baseline recognises it, and the TypeORM-format live mode reads the newest applied class.
 */
import type { Client } from 'pg';
import { ident } from '../sql/quote';

export interface TypeormMigrationsTable {
  readonly schema: string;
  readonly name: string;
  readonly applied: number;
  /** Newest applied migration by timestamp, or null. */
  readonly newest: { readonly timestamp: number; readonly name: string } | null;
}

/** The table in current_schema() if it has TypeORM's shape, else null. */
export async function readTypeormMigrations(client: Client, tableName = 'migrations'): Promise<TypeormMigrationsTable | null> {
  const { rows } = await client.query<{ schema: string; columns: string[] }>(
    `SELECT n.nspname AS schema, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND c.relname = $1 AND n.nspname = current_schema()
      GROUP BY n.nspname`,
    [tableName],
  );
  const found = rows[0];
  if (!found || !['timestamp', 'name'].every((c) => found.columns.includes(c))) return null;
  const table = `${ident(found.schema)}.${ident(tableName)}`;
  const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  const newest = await client.query<{ timestamp: string; name: string }>(`SELECT "timestamp"::text AS timestamp, name FROM ${table} ORDER BY "timestamp" DESC LIMIT 1`);
  const top = newest.rows[0];
  return { schema: found.schema, name: tableName, applied: Number(count.rows[0]!.n), newest: top ? { timestamp: Number(top.timestamp), name: top.name } : null };
}

