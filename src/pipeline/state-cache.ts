/**
 * What a run reads from the default shadow — the replayed folder's catalog, the entity side cooked on that
 * server, the server's version — cached (run-cache.ts), so that a run whose migrations and entities did not
 * change connects to no server at all. The key covers every input of that read: the chained hashes of the
 * folder's files in order (shadow/prefix-hashes.ts: an edit, insertion, removal or renumbering of any file
 * changes it), the whole entity model as loaded (the schemas read and the expressions cooked), the exact
 * server binaries, and pgshift's version and build (tool-identity.ts). Only a clean replay (a clone of a kept template: no session or
 * shared state left) is stored, so a folder that fails to replay never has an entry: its run replays and
 * fails as without the cache.
 *
 * Only the embedded shadow: a --shadow-url server or a live database can change between runs unseen.
 */
import type { Migration } from '../migrations-dir/files';
import type { SchemaModel } from '../model/schema';
import { embeddedShadowIdentity, warmShadowEnabled } from '../shadow/embedded-choice';
import { prefixHashes } from '../shadow/prefix-hashes';
import { cacheKey, readCacheEntry, runCachesEnabled, writeCacheEntry } from './run-cache';
import { TOOL_IDENTITY } from './tool-identity';

/** Bump when the catalog's reading or the model's shape changes in a way a release of pgshift would not capture. */
const FORMAT = 'pgshift-state-v1';


export interface ShadowState {
  readonly current: SchemaModel;
  readonly desired: SchemaModel;
  readonly serverVersion: number;
}

/** The key of the embedded shadow's state for these files and entities, or undefined when it has none. */
export function shadowStateKey(migrations: readonly Migration[], model: SchemaModel, major: number | undefined): string | undefined {
  // PGSHIFT_WARM_SHADOW=0 asks for a throwaway server per run: no state carried between runs either.
  if (!runCachesEnabled() || !warmShadowEnabled()) return undefined;
  const server = embeddedShadowIdentity(major);
  if (server === undefined) return undefined;
  const chain = prefixHashes(migrations).at(-1) ?? 'no files';
  return cacheKey([FORMAT, TOOL_IDENTITY, server, String(migrations.length), chain, JSON.stringify(model)]);
}

export function readShadowState(key: string): ShadowState | undefined {
  return readCacheEntry<ShadowState>('states', key);
}

export function writeShadowState(key: string, state: ShadowState): void {
  writeCacheEntry('states', key, state);
}
