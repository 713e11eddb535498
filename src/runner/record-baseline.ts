/**
 * Adopting a database: record a baseline version as applied — golang-migrate's `schema_migrations` and
 * pgshift's checksum row — without running the file, under golang-migrate's advisory lock. The caller's
 * `writeFiles` runs after the bookkeeping committed; if it fails, the bookkeeping is undone, so files and
 * database state appear together or not at all.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { resolveOptions } from './options';
import { withLockedRun } from './runner';
import { withConnection } from './connections';
import {
  CHECKSUM_TABLE, NIL_VERSION, VERSION_TABLE, bookkeeping, currentSchema, ensureTables, readChecksums, readVersion, setVersion, type Bookkeeping,
} from '../db/version-table';

export interface BaselineRecord {
  readonly version: number;
  readonly fileName: string;
  readonly checksum: string;
}

/** Refuses a database golang-migrate or pgshift already tracks: baselining it would lie about its history. */
async function refuseTracked(client: Client, book: Bookkeeping): Promise<void> {
  const version = await readVersion(client, book);
  const checksums = await readChecksums(client, book);
  if (version.version === NIL_VERSION && !version.dirty && checksums.length === 0) return;
  const at = version.version === NIL_VERSION ? 'no version, but with recorded checksums' : `version ${version.version}${version.dirty ? ' (dirty)' : ''}`;
  throw new PgshiftError('REFUSED', `the database is already under golang-migrate/pgshift (${book.schema}.${VERSION_TABLE} at ${at}); baseline is for a database that has never been migrated by them`, {
    hint: 'use `pgshift status` and `pgshift up` on it; to adopt it again from scratch, drop schema_migrations and pgshift_migrations first',
  });
}

/** Read-only pre-flight, before the entities are diffed: fails fast without taking the lock. */
export async function assertNotTracked(databaseUrl: string): Promise<void> {
  await withConnection(databaseUrl, async (client) => refuseTracked(client, bookkeeping(await currentSchema(client))));
}

async function tableExists(client: Client, schema: string, table: string): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, table]);
  return rows.length > 0;
}

export async function recordBaseline(databaseUrl: string, record: BaselineRecord, writeFiles: () => void): Promise<void> {
  const options = resolveOptions({ databaseUrl, dir: '.' });
  await withLockedRun(options, async (conns, book) => {
    const client = conns.work;
    await refuseTracked(client, book);
    const existed = {
      version: await tableExists(client, book.schema, VERSION_TABLE),
      checksum: await tableExists(client, book.schema, CHECKSUM_TABLE),
    };
    await ensureTables(client, book);
    await setVersion(client, book, record.version, false, { kind: 'record', version: record.version, name: record.fileName, checksum: record.checksum });
    try {
      writeFiles();
    } catch (error) {
      await undo(client, book, existed, record.version).catch(() => undefined);
      throw error;
    }
  });
}

async function undo(client: Client, book: Bookkeeping, existed: { version: boolean; checksum: boolean }, version: number): Promise<void> {
  await setVersion(client, book, NIL_VERSION, false, { kind: 'forget', version });
  if (!existed.checksum) await client.query(`DROP TABLE ${book.checksumTable}`);
  if (!existed.version) await client.query(`DROP TABLE ${book.versionTable}`);
}
