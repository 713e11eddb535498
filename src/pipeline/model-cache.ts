/**
 * The entity model of the last load, cached (run-cache.ts) so that a run whose entities did not change
 * loads neither TypeORM nor a single entity file. The entry's key names the project (working folder,
 * config file) and the code that computes the model (pgshift's version and build — tool-identity.ts —, TypeORM's version, Node's major); the
 * entry holds, besides the model, every input the load read (entity-loader/load-inputs.ts: files, folder
 * listings, resolutions, packages, environment variables). It is used only when every one of those is as
 * recorded: an edit to an entity, to a file it imports, to the config or to a `.env` it reads, a new file
 * that a glob would match, another value of a variable the config reads — each makes a miss, and the
 * load runs as without the cache (and replaces the entry).
 */
import { dirname, resolve } from 'node:path';
import type { LoadedEntities } from '../entity-loader';
import { changedInput, replayEnvWrites, type LoadInputs } from '../entity-loader/load-inputs';
import { runtimeIdentity } from '../entity-loader/typeorm-runtime';
import { pgModule } from '../db/pg-module';
import { cacheKey, readCacheEntry, runCachesEnabled, writeCacheEntry } from './run-cache';
import { TOOL_IDENTITY } from './tool-identity';

/** Bump when the model's shape or the recorded inputs change in a way the other key parts do not capture. */
const FORMAT = 'pgshift-model-v1';


interface Entry {
  readonly inputs: LoadInputs;
  readonly entities: LoadedEntities;
}

export interface CachedEntities {
  readonly entities: LoadedEntities;
  /** `hit`; `miss` (with the input that changed, when an entry existed); `not stored` (and why). */
  readonly cache: string;
}

function keyOf(configFile: string): string {
  return cacheKey([FORMAT, TOOL_IDENTITY, process.versions.node.split('.')[0]!, process.cwd(), configFile, runtimeIdentity(dirname(configFile))]);
}

/**
 * The loader itself, on a miss only (it brings reflect-metadata, TypeORM and the mapping); pg first, the
 * cheap way (db/pg-module.ts), since TypeORM's Postgres driver loads it.
 */
async function entityLoader(): Promise<typeof import('../entity-loader')> {
  pgModule();
  return import('../entity-loader');
}

export async function loadEntitiesCached(configPath: string): Promise<CachedEntities> {
  if (!runCachesEnabled()) return { entities: await (await entityLoader()).loadEntityModel(configPath), cache: 'off' };
  const configFile = resolve(configPath);
  const key = keyOf(configFile);
  const entry = readCacheEntry<Entry>('models', key);
  const changed = entry ? changedInput(entry.inputs) : undefined;
  if (entry && changed === undefined) {
    replayEnvWrites(entry.inputs);
    return { entities: entry.entities, cache: 'hit' };
  }
  const recorded = await (await entityLoader()).loadEntityModelRecorded(configPath);
  if (recorded.uncacheable) return { entities: recorded.value, cache: `not stored (${recorded.uncacheable})` };
  writeCacheEntry('models', key, { inputs: recorded.inputs, entities: recorded.value } satisfies Entry);
  return { entities: recorded.value, cache: entry ? `miss (${changed} changed)` : 'miss' };
}
