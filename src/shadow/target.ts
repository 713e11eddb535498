/**
 * The database the entities are compared with: the live one named by --database-url/DATABASE_URL, or a
 * shadow — an embedded Postgres onto which the migrations folder is replayed.
 */
import type { Client } from 'pg';
import { connect } from '../db/connect';
import { PgshiftError } from '../errors';
import { latestVersion, type Migration } from '../migrations-dir/files';
import { startEmbeddedPostgres } from './embedded';
import { replayMigrations } from './replay';
import { replayTypeormMigrations } from './replay-typeorm';
import { assertTypeormUpToDate } from './typeorm-state';
import type { TypeormMigrationFile } from '../migrations-dir/typeorm-files';

export interface Target {
  readonly mode: 'live' | 'shadow';
  readonly client: Client;
  close(): Promise<void>;
}

interface MigrationState {
  readonly version: number | null;
  readonly dirty: boolean;
}

async function readMigrationState(client: Client): Promise<MigrationState> {
  const exists = await client.query<{ found: boolean }>(
    `SELECT to_regclass(quote_ident(current_schema()) || '.schema_migrations') IS NOT NULL AS found`,
  );
  if (!exists.rows[0]?.found) return { version: null, dirty: false };
  const rows = await client.query<{ version: string; dirty: boolean }>('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1');
  const row = rows.rows[0];
  return row ? { version: Number(row.version), dirty: row.dirty } : { version: null, dirty: false };
}

/** Live mode refuses a database that is dirty or behind the folder: the diff would be against the past. */
async function assertUpToDate(client: Client, migrations: readonly Migration[]): Promise<void> {
  const state = await readMigrationState(client);
  if (state.dirty) {
    throw new PgshiftError('DIRTY', `the database is dirty at version ${state.version}: a migration failed part way`, {
      hint: `inspect it, then run \`pgshift force ${state.version}\` (or the previous version) and retry`,
    });
  }
  const newest = latestVersion(migrations);
  if (newest !== null && (state.version === null || state.version < newest)) {
    const pending = migrations.filter((m) => state.version === null || m.version > state.version).length;
    throw new PgshiftError('BEHIND', `the database is at version ${state.version ?? 'none'} but the migrations folder goes to ${newest} (${pending} pending)`, {
      hint: 'apply the pending migrations first (pgshift up), or run without --database-url to diff against a shadow database',
    });
  }
}

/** `typeormFiles` set: the folder holds TypeORM classes, and TypeORM's migrations table says the version. */
export async function openLiveTarget(url: string, migrations: readonly Migration[], typeormFiles?: readonly TypeormMigrationFile[]): Promise<Target> {
  const client = await connect(url);
  try {
    if (typeormFiles) await assertTypeormUpToDate(client, typeormFiles);
    else await assertUpToDate(client, migrations);
  } catch (error) {
    await client.end();
    throw error;
  }
  return { mode: 'live', client, close: () => client.end() };
}

export async function openShadowTarget(migrations: readonly Migration[], typeormFiles?: readonly TypeormMigrationFile[]): Promise<Target> {
  const server = await startEmbeddedPostgres();
  let client: Client | undefined;
  try {
    client = await connect(server.url, 'pgshift-shadow');
    await replayMigrations(client, migrations);
    if (typeormFiles) await replayTypeormMigrations(server.url, typeormFiles);
  } catch (error) {
    await client?.end().catch(() => undefined);
    await server.stop();
    throw error;
  }
  const opened = client;
  return {
    mode: 'shadow',
    client: opened,
    async close() {
      await opened.end().catch(() => undefined);
      await server.stop();
    },
  };
}
