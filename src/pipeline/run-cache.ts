/**
 * The store of the run caches (model-cache.ts, state-cache.ts): JSON entries in the cache folder
 * (shadow/cache-dir.ts), one folder per kind, named by a key that hashes everything the entry depends on.
 * An entry is written under a temporary name and renamed, so a concurrent run never reads half of one; each
 * kind keeps its newest entries within a size budget. Any failure here only costs speed: a cache that cannot
 * be read is a miss, one that cannot be written is skipped.
 *
 * `PGSHIFT_CACHE=off` (or the CLI's `--no-cache`) turns the run caches off.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../shadow/cache-dir';

/** Each kind's folder is trimmed to its newest entries within this many bytes (and MAX_ENTRIES entries). */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 32;

export type CacheKind = 'models' | 'states';

export function runCachesEnabled(): boolean {
  return !/^(0|off|false|no)$/i.test(process.env.PGSHIFT_CACHE ?? '');
}

/** A key from its parts, in order (any part that changes makes another key). */
export function cacheKey(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 40);
}

function kindDir(kind: CacheKind): string | undefined {
  const base = cacheDir();
  return base === undefined ? undefined : join(base, kind);
}

/** The entry's value, or undefined (none, unreadable, or caches off). */
export function readCacheEntry<T>(kind: CacheKind, key: string): T | undefined {
  const dir = runCachesEnabled() ? kindDir(kind) : undefined;
  if (dir === undefined) return undefined;
  const file = join(dir, `${key}.json`);
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as T;
    const now = new Date();
    utimesSync(file, now, now); // recently used: kept by the trimming below
    return value;
  } catch {
    return undefined;
  }
}

function trim(dir: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      try {
        const st = statSync(join(dir, name));
        return { name, size: st.size, used: st.mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((e): e is { name: string; size: number; used: number } => e !== undefined)
    .sort((a, b) => b.used - a.used);
  let bytes = 0;
  entries.forEach((entry, i) => {
    bytes += entry.size;
    if (i >= MAX_ENTRIES || (i > 0 && bytes > MAX_BYTES)) rmSync(join(dir, entry.name), { force: true });
  });
}

export function writeCacheEntry(kind: CacheKind, key: string, value: unknown): void {
  const dir = runCachesEnabled() ? kindDir(kind) : undefined;
  if (dir === undefined) return;
  const file = join(dir, `${key}.json`);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
    trim(dir);
  } catch {
    // A read-only or full disk: the next run computes it again.
    rmSync(temporary, { force: true });
  }
}
