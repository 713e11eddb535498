/**
 * The live target: the database at --database-url, refused when it is dirty or behind the migrations
 * folder — a diff against it would plan from the past.
 */
import { connect } from '../db/connect';
import { NIL_VERSION, bookkeeping, currentSchema, readVersion } from '../db/version-table';
import { PgshiftError } from '../errors';
import { latestVersion, type Migration } from '../migrations-dir/files';
import type { TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import { assertTypeormUpToDate } from '../shadow/typeorm-state';
import type { Client } from 'pg';
import type { Target } from './target';

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
