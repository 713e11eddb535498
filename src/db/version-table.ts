/**
 * golang-migrate's `schema_migrations` (one row: version, dirty) and pgshift's `pgshift_migrations`
 * (one row per applied version with the up file's checksum), both in current_schema(). Writes follow
 * golang-migrate's postgres driver exactly: TRUNCATE + INSERT in one transaction, no row for "no
 * version", and a row with -1 only while a down of the first migration is in flight (dirty).
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { ident } from '../sql/quote';

export const NIL_VERSION = -1;
export const VERSION_TABLE = 'schema_migrations';
export const CHECKSUM_TABLE = 'pgshift_migrations';

export interface DatabaseVersion {
  /** -1 when no migration is applied. */
  readonly version: number;
  readonly dirty: boolean;
}

export interface AppliedChecksum {
  readonly version: number;
  readonly name: string | null;
  readonly checksum: string | null;
  readonly appliedAt: Date | null;
}

export interface Bookkeeping {
  readonly schema: string;
  readonly versionTable: string;
  readonly checksumTable: string;
}

export async function currentSchema(client: Client): Promise<string> {
  const { rows } = await client.query<{ schema: string | null; database: string }>('SELECT current_schema() AS schema, current_database() AS database');
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new PgshiftError('DATABASE', 'the connection has no current schema (search_path names no existing schema)', {
      hint: 'set search_path for the role or in the URL (?options=-csearch_path%3Dpublic), or create the schema',
    });
  }
  return schema;
}

export function bookkeeping(schema: string): Bookkeeping {
  return {
    schema,
    versionTable: `${ident(schema)}.${ident(VERSION_TABLE)}`,
    checksumTable: `${ident(schema)}.${ident(CHECKSUM_TABLE)}`,
  };
}

async function tableExists(client: Client, schema: string, table: string): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, table]);
  return rows.length > 0;
}

/** Creates both tables when missing. Checks first, like golang-migrate, so a role without CREATE can still run once they exist. */
export async function ensureTables(client: Client, book: Bookkeeping): Promise<void> {
  if (!(await tableExists(client, book.schema, VERSION_TABLE))) {
    await client.query(`CREATE TABLE IF NOT EXISTS ${book.versionTable} (version bigint not null primary key, dirty boolean not null)`);
  }
  if (!(await tableExists(client, book.schema, CHECKSUM_TABLE))) {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${book.checksumTable} (version bigint primary key, name text, checksum text, applied_at timestamptz)`,
    );
  }
}

export async function readVersion(client: Client, book: Bookkeeping): Promise<DatabaseVersion> {
  if (!(await tableExists(client, book.schema, VERSION_TABLE))) return { version: NIL_VERSION, dirty: false };
  const { rows } = await client.query<{ version: string; dirty: boolean }>(`SELECT version::text AS version, dirty FROM ${book.versionTable} LIMIT 1`);
  const row = rows[0];
  return row ? { version: Number(row.version), dirty: row.dirty } : { version: NIL_VERSION, dirty: false };
}

export async function readChecksums(client: Client, book: Bookkeeping): Promise<AppliedChecksum[]> {
  if (!(await tableExists(client, book.schema, CHECKSUM_TABLE))) return [];
  const { rows } = await client.query<{ version: string; name: string | null; checksum: string | null; applied_at: Date | null }>(
    `SELECT version::text AS version, name, checksum, applied_at FROM ${book.checksumTable} ORDER BY version`,
  );
  return rows.map((r) => ({ version: Number(r.version), name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
}

/** What to do to pgshift_migrations in the same transaction as a version write. */
export type ChecksumWrite =
  | { readonly kind: 'record'; readonly version: number; readonly name: string; readonly checksum: string }
  /** A non-transactional up file is about to run: its checksum, with no applied_at until it is done. */
  | { readonly kind: 'start'; readonly version: number; readonly name: string; readonly checksum: string }
  | { readonly kind: 'forget'; readonly version: number }
  | { readonly kind: 'forget-above'; readonly version: number };

/** golang-migrate's SetVersion, plus the pgshift_migrations change that belongs to the same step. */
export async function setVersion(client: Client, book: Bookkeeping, version: number, dirty: boolean, checksum?: ChecksumWrite): Promise<void> {
  await client.query('BEGIN');
  try {
    await writeVersion(client, book, version, dirty, checksum);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The statements of setVersion without BEGIN/COMMIT, for the caller's open transaction: a transactional
 * file's own, so the file and its version commit or roll back together.
 */
export async function writeVersion(client: Client, book: Bookkeeping, version: number, dirty: boolean, checksum?: ChecksumWrite): Promise<void> {
  await client.query(`TRUNCATE ${book.versionTable}`);
  if (version >= 0 || (version === NIL_VERSION && dirty)) {
    await client.query(`INSERT INTO ${book.versionTable} (version, dirty) VALUES ($1, $2)`, [version, dirty]);
  }
  if (checksum?.kind === 'record' || checksum?.kind === 'start') {
    await client.query(
      `INSERT INTO ${book.checksumTable} (version, name, checksum, applied_at) VALUES ($1, $2, $3, ${checksum.kind === 'record' ? 'now()' : 'NULL'})
       ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, applied_at = excluded.applied_at`,
      [checksum.version, checksum.name, checksum.checksum],
    );
  } else if (checksum?.kind === 'forget') {
    await client.query(`DELETE FROM ${book.checksumTable} WHERE version = $1`, [checksum.version]);
  } else if (checksum?.kind === 'forget-above') {
    await client.query(`DELETE FROM ${book.checksumTable} WHERE version > $1`, [checksum.version]);
  }
}
