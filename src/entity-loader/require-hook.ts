/**
 * Loading a project's TypeScript files with Node's own CommonJS loader: a `.ts` handler is installed only
 * while a load runs, and every project file that a load brought in is removed from the require cache
 * when it ends, so the next load (another fixture in the same test process, or the CLI after an edit)
 * sees the files as they are now. Files under node_modules stay cached: TypeORM keeps its decorator
 * registry in a global, and reloading it would not make anything fresher.
 *
 * The handler also remembers which file exported which class and which file was executing when an
 * error was thrown, so that TypeORM's complaints about an entity can name the file to fix.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { TranspileCache } from './transpile-cache';

const nodeRequire = createRequire(__filename);

interface NodeModule {
  exports: unknown;
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: NodeModule, filename: string) => void;
interface ModuleInternals {
  _extensions: Record<string, ExtensionHandler | undefined>;
}

const Module = nodeRequire('node:module') as ModuleInternals;
const NODE_MODULES = `${sep}node_modules${sep}`;

/** Which file exported a class: lets an error about an entity name the file that defines it. */
const fileOfClass = new WeakMap<object, string>();
const FAILED_IN = Symbol.for('pgshift.failedInFile');

/** The project file that was executing when `error` was thrown, if it came from a hooked load. */
export function fileWhereThrown(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { [FAILED_IN]?: string })[FAILED_IN] : undefined;
}

export function fileDefiningClass(target: unknown): string | undefined {
  return typeof target === 'function' ? fileOfClass.get(target) : undefined;
}

function rememberExports(exported: unknown, filename: string): void {
  const values = typeof exported === 'function' ? [exported] : [];
  if (typeof exported === 'object' && exported !== null) values.push(...Object.values(exported));
  for (const value of values) {
    if (typeof value === 'function' && !fileOfClass.has(value)) fileOfClass.set(value, filename);
  }
}

/** Runs a module, tagging an escaping error with the innermost file that threw it. */
function runTracked(run: () => unknown, module: NodeModule, filename: string): void {
  try {
    run();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !(FAILED_IN in error)) {
      Object.defineProperty(error, FAILED_IN, { value: filename, enumerable: false });
    }
    throw error;
  }
  rememberExports(module.exports, filename);
}

let activeLoads = 0;
let savedTs: ExtensionHandler | undefined;
let savedJs: ExtensionHandler | undefined;

function install(cache: TranspileCache, cwd: string): void {
  if (activeLoads++ > 0) return;
  savedTs = Module._extensions['.ts'];
  savedJs = Module._extensions['.js'];
  Module._extensions['.ts'] = (module, filename) => {
    const code = cache.compile(readFileSync(filename, 'utf8'), filename, relative(cwd, filename) || filename);
    runTracked(() => module._compile(code, filename), module, filename);
  };
  const originalJs = savedJs;
  if (originalJs) {
    Module._extensions['.js'] = (module, filename) => {
      // Compiled-JS entity files of the project are tracked too; node_modules go through untouched.
      if (filename.includes(NODE_MODULES)) return originalJs(module, filename);
      runTracked(() => originalJs(module, filename), module, filename);
    };
  }
}

function uninstall(): void {
  if (--activeLoads > 0) return;
  if (savedTs) Module._extensions['.ts'] = savedTs;
  else delete Module._extensions['.ts'];
  if (savedJs) Module._extensions['.js'] = savedJs;
  savedTs = undefined;
  savedJs = undefined;
}

const TYPESCRIPT_FILE = /\.[cm]?ts$/;

/**
 * Before a load: TypeScript files outside node_modules that are still cached (required by another
 * loader such as ts-node) would hand TypeORM stale classes. pgshift's own modules are never touched:
 * they are JavaScript, and a second copy of them (of PgshiftError, say) would break `instanceof`.
 */
function forgetStaleProjectModules(): void {
  for (const key of Object.keys(nodeRequire.cache)) {
    if (TYPESCRIPT_FILE.test(key) && !key.includes(NODE_MODULES)) delete nodeRequire.cache[key];
  }
}

/** After a load: every project file it required, so that the next load reads them afresh. */
function forgetProjectModules(before: ReadonlySet<string>): void {
  for (const key of Object.keys(nodeRequire.cache)) {
    if (!before.has(key) && !key.includes(NODE_MODULES)) delete nodeRequire.cache[key];
  }
}

/**
 * Runs `load` with the `.ts` handler installed (error messages name files relative to `cwd`). Project
 * files required during the load are dropped from the require cache afterwards, success or not.
 */
export async function withTypeScriptLoader<T>(cache: TranspileCache, cwd: string, load: () => Promise<T>): Promise<T> {
  if (activeLoads === 0) forgetStaleProjectModules();
  const before = new Set(Object.keys(nodeRequire.cache));
  install(cache, cwd);
  try {
    return await load();
  } finally {
    uninstall();
    if (activeLoads === 0) forgetProjectModules(before);
  }
}

/** Node's require, for loading the config module through the handler above. */
export function requireFile(path: string): unknown {
  return nodeRequire(path);
}
