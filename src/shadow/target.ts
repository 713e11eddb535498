/**
 * The database the entities are compared with: the live one named by --database-url/DATABASE_URL, or a
 * shadow onto which the migrations folder is replayed — an embedded Postgres (of the target's major when
 * its binaries are installed) or a throwaway database on the --shadow-url server.
 */
import type { Client } from 'pg';
import { connect } from '../db/connect';
import { PgshiftError } from '../errors';
import { latestVersion, type Migration } from '../migrations-dir/files';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { startMajorServer } from './major-server';
import { replayMigrations } from './replay';
import { createThrowawayDatabase } from './url-shadow';
import { replayTypeormMigrations } from './replay-typeorm';
import { assertTypeormUpToDate } from './typeorm-state';
import type { TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import { openWarmShadow } from './warm-shadow';
import { aliasBinaries } from './embedded-choice';
import { NIL_VERSION, bookkeeping, currentSchema, readVersion } from '../db/version-table';

export interface Target {
  readonly mode: 'live' | 'shadow';
  /** Which shadow: the embedded server, or a database on the --shadow-url server. */
  readonly shadow?: 'embedded' | 'url';
  readonly client: Client;
  /** The embedded shadow's replay was a clean one (replay-cache.ts): the state read from it may be cached. */
  readonly cleanReplay?: boolean;
  close(): Promise<void>;
}

export interface ShadowOptions {
  /** The target's major: the embedded shadow runs its binaries when they are installed. */
  readonly major?: number;
  /** Use this server for the shadow instead of an embedded one. */
  readonly shadowUrl?: string;
  /** The folder holds TypeORM migration classes: replay them with TypeORM's own runner after the SQL files. */
  readonly typeormFiles?: readonly TypeormMigrationFile[];
}

interface MigrationState {
  readonly version: number | null;
  readonly dirty: boolean;
}

async function readMigrationState(client: Client): Promise<MigrationState> {
  const state = await readVersion(client, bookkeeping(await currentSchema(client)));
  return { version: state.version === NIL_VERSION ? null : state.version, dirty: state.dirty };
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

/** A throwaway embedded server, when the warm one is unavailable (warm-shadow.ts). */
function startShadowServer(major: number | undefined): Promise<EmbeddedServer> {
  const binaries = aliasBinaries(major);
  return binaries ? startMajorServer(binaries) : startEmbeddedPostgres();
}

async function openUrlShadow(shadowUrl: string, migrations: readonly Migration[], typeormFiles: readonly TypeormMigrationFile[] | undefined): Promise<Target> {
  const database = await createThrowawayDatabase(shadowUrl);
  try {
    await replayMigrations(database.client, migrations);
    if (typeormFiles) await replayTypeormMigrations(database.url, typeormFiles);
  } catch (error) {
    await database.client.end().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
  return {
    mode: 'shadow',
    shadow: 'url',
    client: database.client,
    async close() {
      await database.client.end().catch(() => undefined);
      await database.drop();
    },
  };
}

export async function openShadowTarget(migrations: readonly Migration[], options: ShadowOptions = {}): Promise<Target> {
  if (options.shadowUrl) return openUrlShadow(options.shadowUrl, migrations, options.typeormFiles);
  // A TypeORM-format folder replays through TypeORM's runner, which the replay cache does not key
  // (yet): it keeps the throwaway server.
  const warm = options.typeormFiles ? null : await openWarmShadow(migrations, aliasBinaries(options.major));
  if (warm) return { mode: 'shadow', shadow: 'embedded', client: warm.client, cleanReplay: warm.cleanReplay, close: () => warm.close() };
  const server = await startShadowServer(options.major);
  let client: Client | undefined;
  try {
    client = await connect(server.url, 'pgshift-shadow');
    await replayMigrations(client, migrations);
    if (options.typeormFiles) await replayTypeormMigrations(server.url, options.typeormFiles);
  } catch (error) {
    await client?.end().catch(() => undefined);
    await server.stop();
    throw error;
  }
  const opened = client;
  return {
    mode: 'shadow',
    shadow: 'embedded',
    client: opened,
    async close() {
      await opened.end().catch(() => undefined);
      await server.stop();
    },
  };
}
