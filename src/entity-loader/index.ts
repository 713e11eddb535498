/**
 * The entity loader: a project's `ormconfig.ts` (and the entity files it lists) → the schema model that
 * TypeORM's `synchronize` would create, without connecting to any database.
 *
 *   1. load the config module, compiling `.ts` on the fly with decorator metadata (./require-hook.ts,
 *      cached on disk by ./transpile-cache.ts);
 *   2. build TypeORM's entity metadata offline (./offline-metadata.ts);
 *   3. map it to the model (./map-model.ts).
 */
import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { PgshiftError } from '../errors';
import { DEFAULT_SCHEMA, type SchemaModel } from '../model/schema';
import { checkEntityExpressions } from './check-expressions';
import { dataSourceFromModule } from './config-module';
import { firstLine } from './entity-errors';
import { mapMetadataToModel } from './map-model';
import { buildMetadataOffline } from './offline-metadata';
import { refuseSharedTables } from './shared-tables';
import { fileWhereThrown, requireFile, withTypeScriptLoader } from './require-hook';
import { rememberRuntime, runtimeFor } from './typeorm-runtime';
import { TranspileCache, defaultCacheDir, type TranspileStats } from './transpile-cache';
import { recordLoadInputs, type RecordedLoad } from './load-inputs';


export { mapMetadataToModel } from './map-model';

export interface LoadOptions {
  /** Where relative paths (the config path, relative entity globs) start from. Default: process.cwd(). */
  readonly cwd?: string;
  /** Transpile cache folder. Default: `node_modules/.cache/pgshift/` nearest above the config file. */
  readonly cacheDir?: string;
}

/** The DataSource options that shape the schema. */
export interface DataSourceSummary {
  readonly type: 'postgres';
  /** The DataSource-wide `schema` option, or `public` when unset. */
  readonly schema: string;
  /** The `entityPrefix` option, or '' when unset. */
  readonly entityPrefix: string;
}

export interface LoadedEntities {
  readonly model: SchemaModel;
  /** Absolute path of the config file that was loaded. */
  readonly configPath: string;
  readonly dataSourceOptions: DataSourceSummary;
}

export interface LoadedDataSource {
  /** A DataSource whose entity metadata is built; it was never initialized (no connection). */
  readonly dataSource: DataSource;
  readonly configPath: string;
  /** Transpile cache hits and misses of this load. */
  readonly cache: TranspileStats;
}

function resolveConfigFile(configPath: string, cwd: string): string {
  const path = resolve(cwd, configPath);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new PgshiftError('CONFIG', `TypeORM config file not found: ${path}`, {
      hint: 'pass --config <path to ormconfig.ts>, or create ormconfig.ts that default-exports `new DataSource({ type: \'postgres\', … })`',
    });
  }
  return path;
}

function requireConfig(path: string, display: string, cwd: string): unknown {
  try {
    return requireFile(path);
  } catch (error) {
    if (error instanceof PgshiftError) throw error;
    const message = firstLine(error instanceof Error ? error.message : String(error));
    const failedIn = fileWhereThrown(error);
    // An error raised inside an entity file that the config imports is the entity's, not the config's.
    if (failedIn && failedIn !== path) {
      throw new PgshiftError('ENTITY', `${relative(cwd, failedIn) || failedIn}: ${message}`, {
        hint: "fix the entity as the message says; pgshift loads it the way TypeORM's CLI would",
        cause: error,
      });
    }
    throw new PgshiftError('CONFIG', `${display}: ${message}`, {
      hint: 'the config module failed while loading; fix it so that it loads under TypeORM too',
      cause: error,
    });
  }
}

function transpileCacheDir(configFile: string, options: LoadOptions, cwd: string): string {
  return options.cacheDir ? resolve(cwd, options.cacheDir) : defaultCacheDir(dirname(configFile));
}

/** Loads the config and builds TypeORM's entity metadata offline. */
export async function loadDataSource(configPath: string, options: LoadOptions = {}): Promise<LoadedDataSource> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const path = resolveConfigFile(configPath, cwd);
  const display = relative(cwd, path) || path;
  const cache = new TranspileCache(transpileCacheDir(path, options, cwd));
  // The project's own TypeORM (the one its entities register with), so its version decides the schema.
  const typeorm = runtimeFor(dirname(path));
  const dataSource = await withTypeScriptLoader(cache, cwd, async () => {
    const loaded = dataSourceFromModule(requireConfig(path, display, cwd), display, typeorm);
    await buildMetadataOffline(loaded, typeorm, cwd, display);
    return loaded;
  });
  rememberRuntime(dataSource, typeorm);
  return { dataSource, configPath: path, cache: { ...cache.stats } };
}

/** The schema model of a project's entities, as TypeORM's `synchronize` would create it. */
export async function loadEntityModel(configPath: string, options: LoadOptions = {}): Promise<LoadedEntities> {
  const { dataSource, configPath: path } = await loadDataSource(configPath, options);
  refuseSharedTables(dataSource, resolve(options.cwd ?? process.cwd()));
  await checkEntityExpressions(dataSource, resolve(options.cwd ?? process.cwd()));
  const { schema, entityPrefix } = dataSource.options as { schema?: string; entityPrefix?: string };
  return {
    model: mapMetadataToModel(dataSource),
    configPath: path,
    dataSourceOptions: { type: 'postgres', schema: schema ?? DEFAULT_SCHEMA, entityPrefix: entityPrefix ?? '' },
  };
}

/**
 * loadEntityModel, recording what the load read (./load-inputs.ts), so that its result can be cached and
 * proven valid later. Not inputs: the transpile cache's files (keyed by content) and pgshift's own.
 */
export async function loadEntityModelRecorded(configPath: string, options: LoadOptions = {}): Promise<RecordedLoad<LoadedEntities>> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const ignored = [transpileCacheDir(resolveConfigFile(configPath, cwd), options, cwd), dirname(__dirname)];
  return recordLoadInputs(ignored, () => loadEntityModel(configPath, options));
}
