/**
 * On-disk cache of transpiled entity files, so that a repeated run needs neither TypeScript nor its
 * load time. The key hashes everything the output depends on: the source text, the compiler options,
 * the compiler's version and this cache's format version. The file's path is not part of the key (the
 * output does not depend on it), so identical files share one entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPILER_OPTIONS, compilerVersion, transpileTypeScript } from './transpile';

/** Bump when the transpile step changes in a way the other key parts do not capture. */
const CACHE_FORMAT = 'pgshift-transpile-v2'; // v2: decorator option keys checked (./decorator-options.ts)

export interface TranspileStats {
  hits: number;
  misses: number;
}

export class TranspileCache {
  readonly stats: TranspileStats = { hits: 0, misses: 0 };
  private readonly keyPrefix: string;
  private dirReady = false;

  constructor(readonly dir: string) {
    this.keyPrefix = `${CACHE_FORMAT}\0${compilerVersion()}\0${JSON.stringify(COMPILER_OPTIONS)}\0`;
  }

  /** The CommonJS text for a TypeScript source, from the cache or freshly compiled (then stored). */
  compile(source: string, fileName: string, displayName = fileName): string {
    const key = createHash('sha256').update(this.keyPrefix).update(source).digest('hex');
    const entry = join(this.dir, `${key}.js`);
    try {
      const cached = readFileSync(entry, 'utf8');
      this.stats.hits++;
      return cached;
    } catch {
      // a miss: compile below
    }
    this.stats.misses++;
    const output = transpileTypeScript(source, fileName, displayName, this.dir);
    this.store(entry, output);
    return output;
  }

  /** Written to a temporary name and renamed, so a concurrent run never reads half a file. */
  private store(entry: string, output: string): void {
    try {
      if (!this.dirReady) {
        mkdirSync(this.dir, { recursive: true });
        this.dirReady = true;
      }
      const temporary = `${entry}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(temporary, output);
      try {
        renameSync(temporary, entry);
      } catch {
        unlinkSync(temporary);
      }
    } catch {
      // A read-only or full disk only costs speed: the cache is an optimization, never a requirement.
    }
  }
}

/**
 * `node_modules/.cache/pgshift/` of the nearest folder with a `node_modules` above `fromDir` (the usual
 * home of tool caches), else the one of pgshift's own installation.
 */
export function defaultCacheDir(fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return join(candidate, '.cache', 'pgshift');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(__dirname, '..', '..', 'node_modules', '.cache', 'pgshift');
}
