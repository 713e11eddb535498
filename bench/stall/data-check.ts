/**
 * Did the data of the changed column survive? Before the migration, the seeded rows' values are copied
 * (normalized to text) into `bench_check.snapshot`; afterwards each row is compared with its new value,
 * and a checksum of the column (md5 over the values in id order) is taken both times for the report.
 * Only seeded rows are compared: the writers add rows but never touch the column under test.
 */
import type { Client } from 'pg';
import { ITEMS_TABLE } from './items-entity-source';
import type { AffectedColumn } from './kinds';

export interface DataCheck {
  readonly verdict: 'intact' | 'changed' | 'column dropped' | 'not added' | 'backfilled' | 'missing values';
  readonly rows: number;
  /** Seeded rows whose value differs (changed) or is NULL (a new required column). */
  readonly badRows: number;
  readonly checksumBefore: string | null;
  readonly checksumAfter: string | null;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Text form that is equal when the value is: numerics lose trailing zeros a scale change adds. */
function normalized(column: string, numeric: boolean | undefined, alias = ''): string {
  const ref = `${alias}${quote(column)}`;
  return numeric ? `trim_scale(${ref}::numeric)::text` : `${ref}::text`;
}

const CHECKSUM = (expr: string, from: string) =>
  `SELECT md5(coalesce(string_agg(coalesce(${expr}, '∅'), ',' ORDER BY id), '')) AS sum FROM ${from}`;

export async function snapshotColumn(client: Client, affected: AffectedColumn, seededRows: number): Promise<string | null> {
  await client.query('CREATE SCHEMA IF NOT EXISTS bench_check');
  await client.query('DROP TABLE IF EXISTS bench_check.snapshot');
  if (affected.before === null) return null;
  await client.query(
    `CREATE TABLE bench_check.snapshot AS SELECT id, ${normalized(affected.before, affected.numeric)} AS v FROM ${ITEMS_TABLE} WHERE id <= ${seededRows}`,
  );
  const { rows } = await client.query<{ sum: string }>(CHECKSUM('v', 'bench_check.snapshot'));
  return rows[0]!.sum;
}

async function columnExists(client: Client, column: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`,
    [ITEMS_TABLE, column],
  );
  return rows.length > 0;
}

export async function checkColumn(client: Client, affected: AffectedColumn, seededRows: number, checksumBefore: string | null): Promise<DataCheck> {
  if (!(await columnExists(client, affected.after))) {
    const verdict = affected.before === null ? 'not added' : 'column dropped';
    return { verdict, rows: seededRows, badRows: seededRows, checksumBefore, checksumAfter: null };
  }
  const value = normalized(affected.after, affected.numeric);
  const seeded = `(SELECT id, ${value} AS v FROM ${ITEMS_TABLE} WHERE id <= ${seededRows}) AS seeded`;
  const { rows: sums } = await client.query<{ sum: string }>(CHECKSUM('v', seeded));
  const checksumAfter = sums[0]!.sum;
  if (affected.before === null) {
    const { rows } = await client.query<{ nulls: string }>(`SELECT count(*) FILTER (WHERE ${quote(affected.after)} IS NULL) AS nulls FROM ${ITEMS_TABLE} WHERE id <= ${seededRows}`);
    const nulls = Number(rows[0]!.nulls);
    return { verdict: nulls === 0 ? 'backfilled' : 'missing values', rows: seededRows, badRows: nulls, checksumBefore, checksumAfter };
  }
  const { rows } = await client.query<{ bad: string }>(
    `SELECT count(*) AS bad FROM bench_check.snapshot s LEFT JOIN ${ITEMS_TABLE} b ON b.id = s.id
     WHERE b.id IS NULL OR ${normalized(affected.after, affected.numeric, 'b.')} IS DISTINCT FROM s.v`,
  );
  const badRows = Number(rows[0]!.bad);
  return { verdict: badRows === 0 ? 'intact' : 'changed', rows: seededRows, badRows, checksumBefore, checksumAfter };
}
