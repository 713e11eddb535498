/**
 * The TypeScript compiler bundled in ts-morph, loaded the cheap way, for a transpile cache miss (the first
 * run after an entity edit).
 *
 * Two costs are avoided. ts-morph's own module and @ts-morph/common's wrapper (~4 MB of JavaScript pgshift
 * never calls) are not loaded: the compiler file they wrap is required directly. And its 9 MB are not
 * compiled again on every miss: V8's code cache for it (the compiled functions, taken after the first
 * transpile so that the ones a transpile runs are in it) is kept in the transpile cache folder and handed
 * to V8 the next time — load and first transpile ~0.5 s of CPU without it, ~0.17 s with it. V8 checks that
 * the cache fits the source, its version and its flags, and compiles from source when it does not.
 *
 * The module is registered in require's cache like any required file, so tests can still see whether a
 * run loaded TypeScript at all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

export type TsModule = typeof import('ts-morph')['ts'];

// The real Node require, also when this file runs inside a test runner's own module system.
const nodeRequire = createRequire(__filename);

/** The compiler file inside @ts-morph/common (the one ts-morph resolves), or null if it has moved. */
function compilerFile(): string | null {
  try {
    const tsMorph = nodeRequire.resolve('ts-morph');
    const common = createRequire(tsMorph).resolve('@ts-morph/common');
    const file = join(dirname(common), 'typescript.js');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

interface CodeCache {
  readonly script: Script;
  /** Where the cache is (to be) kept; undefined when there is no folder for it. */
  readonly path: string | undefined;
  /** The cache on disk was missing or rejected by V8: store a fresh one after the first transpile. */
  readonly stale: boolean;
}

let pending: CodeCache | undefined;

/** How the last load got TypeScript's compiled code: from the code cache, or compiled from source. */
export type TypeScriptLoad = 'code cache' | 'source';
let lastLoad: TypeScriptLoad | undefined;

export function lastTypeScriptLoad(): TypeScriptLoad | undefined {
  return lastLoad;
}

/** Keyed by everything V8 checks and the file's identity, so a new Node or compiler gets its own entry. */
function codeCachePath(dir: string, file: string): string {
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256')
    .update([process.version, process.versions.v8, process.arch, file, size, mtimeMs].join('\0'))
    .digest('hex')
    .slice(0, 32);
  return join(dir, 'code-cache', `typescript-${key}.v8`);
}

function readOrNull(path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function compileWithCodeCache(file: string, cacheDir: string | undefined): TsModule {
  const path = cacheDir === undefined ? undefined : codeCachePath(cacheDir, file);
  const cachedData = readOrNull(path);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  nodeRequire.cache[file] = mod;
  try {
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  } catch (error) {
    delete nodeRequire.cache[file];
    throw error;
  }
  mod.loaded = true;
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  lastLoad = stale ? 'source' : 'code cache';
  pending = { script, path, stale };
  return mod.exports as TsModule;
}

/**
 * TypeScript, with `cacheDir` holding its code cache (none when undefined). Not memoized on purpose:
 * require's cache makes repeats cheap, and tests forget TypeScript by deleting it from there.
 */
export function loadTypeScript(cacheDir: string | undefined): TsModule {
  const file = compilerFile();
  if (file === null) return (nodeRequire('ts-morph') as typeof import('ts-morph')).ts;
  const loaded = nodeRequire.cache[file];
  if (loaded?.loaded) return loaded.exports as TsModule;
  return compileWithCodeCache(file, cacheDir);
}

/**
 * After the first transpile of a load that compiled TypeScript without a usable code cache: store one.
 * Written to a temporary name and renamed, so a concurrent run never reads half a file; a failure only
 * costs speed.
 */
export function storeTypeScriptCodeCache(): void {
  const cache = pending;
  pending = undefined;
  if (!cache?.stale || cache.path === undefined) return;
  try {
    mkdirSync(dirname(cache.path), { recursive: true });
    const temporary = `${cache.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, cache.script.createCachedData());
    try {
      renameSync(temporary, cache.path);
    } catch {
      unlinkSync(temporary);
    }
  } catch {
    // A read-only or full disk: the next miss compiles TypeScript from source, as without this cache.
  }
}
