/**
 * Small facts about the server that the planner weighs: its version, and how big tables are.
 */
import type { ClientBase } from 'pg';
import { qualifiedKey, type QualifiedName } from '../model/schema';
import { querySql } from './query-files';

/** `server_version_num`, e.g. 150020 for 15.20 and 180001 for 18.1. */
export async function serverVersionNum(client: ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number }>(
    "SELECT current_setting('server_version_num')::int AS version",
  );
  return rows[0]!.version;
}

/**
 * Estimated row counts keyed by `qualifiedKey` (`schema.name`), in one query, from the planner's
 * statistics (reltuples) — no table is scanned. Tables that do not exist are absent from the map. A table
 * never vacuumed or analyzed has no estimate (reltuples = -1); its heap size is used instead, at an
 * assumed 100 bytes a row, so an unknown big table is never taken for an empty one. Partitioned tables
 * sum their partitions.
 */
export async function estimateRows(client: ClientBase, tables: readonly QualifiedName[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (tables.length === 0) return result;
  const { rows } = await client.query<{ schema: string; name: string; rows: string }>(querySql('estimate-rows'), [
    tables.map((t) => t.schema),
    tables.map((t) => t.name),
  ]);
  for (const row of rows) result.set(qualifiedKey(row), Number(row.rows));
  return result;
}
