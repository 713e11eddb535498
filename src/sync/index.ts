/**
 * `pgshift sync`: TypeORM's `synchronize: true`, made safe for development — only the additive part of
 * the diff is applied, in one transaction; everything else is listed for `pgshift gen diff`.
 */
export { planAdditive, describeSkipped, type AdditivePlan, type AdditiveContext, type SkippedChange } from './additive';
export { syncModel, type SyncResult, type AppliedChange, type SyncModelOptions } from './sync-model';
export { runSync, type SyncOptions } from './run-sync';
export { refuseProduction, refuseRemote, refuseMigrationManaged, isLocalHost, connectionHost } from './guards';
export { ensureDevDatabase, stopDevDatabase, devDatabasePaths, DEFAULT_DEV_PORT, type DevDatabase } from './dev-database';
export { loadSyncEntities, watchedFolders, type SyncEntities } from './entities';
export { watchFolders, type FolderWatcher } from './watch';
