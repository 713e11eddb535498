/**
 * A whole sync run: refuse what must be refused, load the entities, connect, sync, disconnect.
 */
import { connect } from '../db/connect';
import { loadSyncEntities } from './entities';
import { refuseMigrationManaged, refuseProduction, refuseRemote } from './guards';
import { syncModel, type SyncResult } from './sync-model';

export interface SyncOptions {
  readonly configPath: string;
  readonly databaseUrl: string;
  /** Where relative entity globs start from. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly dryRun?: boolean;
  /** Sync even though `schema_migrations` exists. */
  readonly force?: boolean;
  /** Sync a database on a host other than this machine. */
  readonly allowRemote?: boolean;
  /** Receives the files the entities were loaded from, as soon as they are known (for --watch). */
  readonly onEntityFiles?: (files: readonly string[]) => void;
}

/** 'pgsh', 'sync' as int4 pairs: a fixed, recognisable advisory lock key. */
const SYNC_LOCK = [0x70677368, 0x73796e63] as const;

export async function runSync(options: SyncOptions): Promise<SyncResult> {
  refuseProduction(options.env);
  refuseRemote(options.databaseUrl, options.env, Boolean(options.allowRemote));
  const entities = await loadSyncEntities(options.configPath, options.cwd);
  options.onEntityFiles?.(entities.files);
  const client = await connect(options.databaseUrl, 'pgshift-sync');
  try {
    // Two syncs at once (two terminals, two first-time runs) take turns instead of both creating the same
    // tables. The two-key form (objsubid 2) never meets golang-migrate's one-key lock ids.
    await client.query('SELECT pg_advisory_lock($1, $2)', [SYNC_LOCK[0], SYNC_LOCK[1]]);
    await refuseMigrationManaged(client, Boolean(options.force));
    return await syncModel(client, entities.model, { dryRun: options.dryRun });
  } finally {
    await client.end().catch(() => undefined);
  }
}
