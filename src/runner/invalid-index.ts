/**
 * Recovery from a failed CREATE INDEX CONCURRENTLY: the build leaves its index behind, marked INVALID,
 * and re-running the file then fails with "already exists" (or, with IF NOT EXISTS, silently keeps the
 * useless index). Before such a file runs, an INVALID index with its name on its table is dropped.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';

/** Drops the INVALID index `index` on `table` (as written in the file) if there is one; returns its name. */
export async function dropInvalidIndex(client: Client, table: string, index: string): Promise<string | null> {
  const { rows } = await client.query<{ name: string; building_pid: number | null }>(
    `SELECT c.oid::regclass::text AS name, p.pid AS building_pid
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       LEFT JOIN pg_stat_progress_create_index p ON p.index_relid = c.oid
      WHERE NOT i.indisvalid AND c.relname = $1 AND i.indrelid = to_regclass($2)`,
    [index, table],
  );
  const invalid = rows[0];
  if (!invalid) return null;
  if (invalid.building_pid !== null) {
    // Not a leftover: someone is building it right now, and dropping it would only queue behind them.
    throw new PgshiftError('REFUSED', `index ${invalid.name} is being built right now by pid ${invalid.building_pid}`, {
      hint: 'wait for that build to finish (pg_stat_progress_create_index), then run again',
    });
  }
  await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${invalid.name}`);
  return invalid.name;
}
