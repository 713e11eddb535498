/**
 * Everything an entity load read besides pgshift itself, recorded so that a model cached from that load
 * (src/pipeline/model-cache.ts) can be proven still valid without running the load again:
 *  - the text of every project file it read (the config, entities, imported helpers, a `.env`, a JSON
 *    file the config parses), by hash, and the files it looked for and did not find;
 *  - the listings of folders it read (an entity glob: a new entity file changes the listing) and the
 *    kind of every path it probed (existsSync, statSync);
 *  - how each relative `require` resolved (a new `x.js` beside `x.ts` would take its place);
 *  - the version of every package it loaded from node_modules;
 *  - the environment variables it read (and the ones it set, to set them again on a cache hit: a config
 *    that loads `.env` leaves DATABASE_URL behind for the rest of the run).
 * Reads the recorder cannot follow (asynchronous fs calls, enumerating the whole environment is fine but
 * keyed in full) make the load `uncacheable` instead: then nothing is stored, and the next run loads again.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';

const nodeRequire = createRequire(__filename);
type Fs = typeof import('node:fs');
const fs = nodeRequire('node:fs') as Fs;
/** The functions as they were before any patch below: the recorder's own reads must not be recorded (nor recurse). */
const real = { readFileSync: fs.readFileSync, readdirSync: fs.readdirSync, statSync: fs.statSync };
const NODE_MODULES = `${sep}node_modules${sep}`;

type Kind = 'file' | 'dir' | 'other' | 'missing';

export interface LoadInputs {
  /** Path → sha1 of its bytes, or null when it could not be read. */
  readonly files: Record<string, string | null>;
  /** Folder → sha1 of its sorted entry names, or null when it could not be listed. */
  readonly dirs: Record<string, string | null>;
  readonly kinds: Record<string, Kind>;
  /** `request\0parent file` → the file it resolved to. */
  readonly resolved: Record<string, string>;
  /** Package folder → its version. */
  readonly packages: Record<string, string>;
  /** Variable → value at its first read (null: unset). `*`: the load enumerated them all (sha1 of all). */
  readonly env: Record<string, string | null>;
  /** Variables the load set (null: deleted), with their final values. */
  readonly envWrites: Record<string, string | null>;
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

function kindOf(path: string): Kind {
  try {
    const st = real.statSync(path, { throwIfNoEntry: false });
    return st === undefined ? 'missing' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

function digestFile(path: string): string | null {
  try {
    return sha1(real.readFileSync(path));
  } catch {
    return null;
  }
}

function digestDir(path: string): string | null {
  try {
    return sha1(real.readdirSync(path).sort().join('\0'));
  } catch {
    return null;
  }
}

function wholeEnvDigest(env: NodeJS.ProcessEnv): string {
  return sha1(JSON.stringify(Object.keys(env).sort().map((k) => [k, env[k]])));
}

/** The package folder of a file under node_modules (`…/node_modules/@scope/name`). */
function packageDirOf(path: string): string {
  const at = path.lastIndexOf(NODE_MODULES) + NODE_MODULES.length;
  const parts = path.slice(at).split(sep);
  return path.slice(0, at) + parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1).join(sep);
}

function packageVersion(dir: string): string | null {
  try {
    return (JSON.parse(real.readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain?: boolean, options?: unknown): string;
  _extensions: Record<string, unknown>;
  _nodeModulePaths(dir: string): string[];
  new (id: string): { filename: string; paths: string[] };
}
const Module = nodeRequire('node:module') as ModuleInternals;

class Recorder {
  readonly inputs: LoadInputs = { files: {}, dirs: {}, kinds: {}, resolved: {}, packages: {}, env: {}, envWrites: {} };
  uncacheable: string | undefined;

  constructor(private readonly ignoredDirs: readonly string[]) {}

  isIgnored(path: string): boolean {
    return this.ignoredDirs.some((dir) => path.startsWith(dir + sep));
  }

  file(path: string, data: string | Buffer | null): void {
    if (this.isIgnored(path)) return;
    if (path.includes(NODE_MODULES)) {
      const dir = packageDirOf(path);
      if (!(dir in this.inputs.packages)) this.inputs.packages[dir] = packageVersion(dir) ?? '?';
      return;
    }
    const digest = data === null ? null : sha1(data);
    const seen = this.inputs.files[path];
    if (seen !== undefined && seen !== digest) this.uncacheable = `${path} changed while it was loaded`;
    this.inputs.files[path] = digest;
  }

  dir(path: string, names: readonly unknown[] | null): void {
    if (path.includes(NODE_MODULES) || this.isIgnored(path)) return;
    this.inputs.dirs[path] = names === null ? null : sha1(names.map((n) => (typeof n === 'object' && n !== null ? (n as { name: string }).name : String(n))).sort().join('\0'));
  }

  kind(path: string): void {
    if (path.includes(NODE_MODULES) || this.isIgnored(path) || path in this.inputs.kinds) return;
    this.inputs.kinds[path] = kindOf(path);
  }
}

const asPath = (p: unknown): string | undefined => (typeof p === 'string' ? p : p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString() : undefined);

type Patch = [object, string, unknown];

/** Wraps the fs functions an entity load may use: the sync ones record, the others mark the load uncacheable. */
function patchFs(recorder: Recorder): Patch[] {
  const saved: Patch[] = [];
  const replace = (owner: object, name: string, make: (original: (...args: unknown[]) => unknown) => unknown) => {
    const original = (owner as Record<string, unknown>)[name];
    if (typeof original !== 'function') return;
    saved.push([owner, name, original]);
    (owner as Record<string, unknown>)[name] = make(original as (...args: unknown[]) => unknown);
  };
  replace(fs, 'readFileSync', (original) => function (this: unknown, ...args: unknown[]) {
    const path = asPath(args[0]);
    try {
      const data = original.apply(this, args) as string | Buffer;
      if (path) recorder.file(path, data);
      return data;
    } catch (error) {
      if (path) recorder.file(path, null);
      throw error;
    }
  });
  replace(fs, 'readdirSync', (original) => function (this: unknown, ...args: unknown[]) {
    const path = asPath(args[0]);
    try {
      const names = original.apply(this, args) as unknown[];
      if (path) recorder.dir(path, names);
      return names;
    } catch (error) {
      if (path) recorder.dir(path, null);
      throw error;
    }
  });
  for (const name of ['existsSync', 'statSync', 'lstatSync']) {
    replace(fs, name, (original) => function (this: unknown, ...args: unknown[]) {
      const path = asPath(args[0]);
      if (path) recorder.kind(path);
      return original.apply(this, args);
    });
  }
  const untracked = (name: string) => (original: (...args: unknown[]) => unknown) => function (this: unknown, ...args: unknown[]) {
    const path = asPath(args[0]);
    if (path === undefined || (!path.includes(NODE_MODULES) && !recorder.isIgnored(path))) recorder.uncacheable ??= `the load called fs.${name}`;
    return original.apply(this, args);
  };
  // TypeORM's glob loading looks for the nearest package.json with fs/promises (ImportUtils): recorded alike.
  replace(fs.promises, 'readFile', (original) => async function (this: unknown, ...args: unknown[]) {
    const path = asPath(args[0]);
    try {
      const data = await (original.apply(this, args) as Promise<string | Buffer>);
      if (path) recorder.file(path, data);
      return data;
    } catch (error) {
      if (path) recorder.file(path, null);
      throw error;
    }
  });
  for (const name of ['stat', 'lstat']) {
    replace(fs.promises, name, (original) => function (this: unknown, ...args: unknown[]) {
      const path = asPath(args[0]);
      if (path) recorder.kind(path);
      return original.apply(this, args);
    });
  }
  for (const name of ['readFile', 'readdir', 'stat', 'lstat', 'access', 'accessSync', 'open', 'openSync', 'opendir', 'opendirSync']) replace(fs, name, untracked(name));
  for (const name of ['readdir', 'access', 'open', 'opendir']) replace(fs.promises, name, untracked(`promises.${name}`));
  return saved;
}

/**
 * Whether the code enumerating the environment is a dependency's: `debug` (loaded with TypeORM) lists
 * every variable for its DEBUG_* options, which shape log output, never a schema. Keying the model on the
 * whole environment for that would make every new shell a miss.
 */
function enumeratedByDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1)
    .filter((line) => !line.includes(__filename) && !line.includes('(<anonymous>)') && !line.includes('(node:'));
  return frames[0]?.includes(NODE_MODULES) ?? false;
}

/** process.env behind a proxy that records reads and writes. */
function watchEnv(recorder: Recorder): () => void {
  const real = process.env;
  const { env, envWrites } = recorder.inputs;
  const read = (key: string | symbol) => {
    if (typeof key === 'string' && !(key in env) && !(key in envWrites)) env[key] = real[key] ?? null;
  };
  const all = () => {
    if (!('*' in env)) env['*'] = wholeEnvDigest(real);
  };
  process.env = new Proxy(real, {
    get(target, key) { read(key); return Reflect.get(target, key); },
    has(target, key) { read(key); return Reflect.has(target, key); },
    ownKeys(target) {
      if (!enumeratedByDependency()) all();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      if (!enumeratedByDependency()) read(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set(target, key, value) {
      read(key);
      if (typeof key === 'string') envWrites[key] = String(value);
      return Reflect.set(target, key, value);
    },
    deleteProperty(target, key) {
      read(key);
      if (typeof key === 'string') envWrites[key] = null;
      return Reflect.deleteProperty(target, key);
    },
  });
  return () => { process.env = real; };
}

/** Records how relative and absolute requests of project files resolve. */
function watchResolution(recorder: Recorder): () => void {
  const original = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, parent: unknown, isMain?: boolean, options?: unknown) {
    const resolved = original.call(this, request, parent, isMain, options);
    const from = (parent as { filename?: string } | undefined)?.filename;
    if (from && /^\.{0,2}\//.test(request) && !resolved.includes(NODE_MODULES) && !from.includes(NODE_MODULES)) {
      recorder.inputs.resolved[`${request}\0${from}`] = resolved;
    }
    return resolved;
  } as ModuleInternals['_resolveFilename'];
  return () => { Module._resolveFilename = original; };
}

export interface RecordedLoad<T> {
  readonly value: T;
  readonly inputs: LoadInputs;
  /** Why the inputs are incomplete (then the result must not be cached), or undefined. */
  readonly uncacheable: string | undefined;
}

/**
 * Runs `load` while recording what it reads. `ignoredDirs`: folders whose reads are not inputs (the
 * transpile cache, keyed by content already).
 */
export async function recordLoadInputs<T>(ignoredDirs: readonly string[], load: () => Promise<T>): Promise<RecordedLoad<T>> {
  const recorder = new Recorder(ignoredDirs);
  const patches = patchFs(recorder);
  const restoreEnv = watchEnv(recorder);
  const restoreResolution = watchResolution(recorder);
  try {
    const value = await load();
    return { value, inputs: recorder.inputs, uncacheable: recorder.uncacheable };
  } finally {
    restoreResolution();
    restoreEnv();
    for (const [owner, name, original] of patches.reverse()) (owner as Record<string, unknown>)[name] = original;
  }
}

/**
 * For `./x` that resolved to `<dir>/x<ext>`, Node tried `<dir>/x` and then the registered extensions in
 * order: the resolution stands while none of those before `<ext>` names a file (that `x<ext>` is still
 * there, with the same text, is checked with the files). Undefined for any other shape (resolved in full).
 */
function sameByCandidates(request: string, from: string, resolved: string): boolean | undefined {
  const base = resolve(dirname(from), request);
  if (resolved === base) return kindOf(base) === 'file';
  const ext = extname(resolved);
  if (ext === '' || resolved !== base + ext) return undefined;
  if (kindOf(base) === 'file') return false;
  const order = Object.keys(Module._extensions);
  if (!order.includes(ext)) order.push(ext);
  for (const earlier of order.slice(0, order.indexOf(ext))) if (kindOf(base + earlier) === 'file') return false;
  return true;
}

function resolvesTheSame(key: string, resolved: string): boolean {
  const [request, from] = key.split('\0') as [string, string];
  const quick = sameByCandidates(request, from, resolved);
  if (quick !== undefined) return quick;
  const parent = new Module(from);
  parent.filename = from;
  parent.paths = Module._nodeModulePaths(dirname(from));
  // Resolution tries the registered extensions: `.ts` must be one, as it was during the load.
  const added = !('.ts' in Module._extensions);
  if (added) Module._extensions['.ts'] = Module._extensions['.js'];
  try {
    return Module._resolveFilename(request, parent) === resolved;
  } catch {
    return false;
  } finally {
    if (added) delete Module._extensions['.ts'];
  }
}

/** The first input that differs now, or undefined when every recorded input is as it was. */
export function changedInput(inputs: LoadInputs): string | undefined {
  for (const [path, digest] of Object.entries(inputs.files)) if (digestFile(path) !== digest) return path;
  for (const [path, digest] of Object.entries(inputs.dirs)) if (digestDir(path) !== digest) return path;
  for (const [path, kind] of Object.entries(inputs.kinds)) if (kindOf(path) !== kind) return path;
  for (const [dir, version] of Object.entries(inputs.packages)) if ((packageVersion(dir) ?? '?') !== version) return dir;
  for (const [key, value] of Object.entries(inputs.env)) {
    if (key === '*' ? wholeEnvDigest(process.env) !== value : (process.env[key] ?? null) !== value) return `$${key}`;
  }
  for (const [key, resolved] of Object.entries(inputs.resolved)) if (!resolvesTheSame(key, resolved)) return resolved;
  return undefined;
}

/** On a cache hit: the variables the load would have set. */
export function replayEnvWrites(inputs: LoadInputs): void {
  for (const [key, value] of Object.entries(inputs.envWrites)) {
    if (value === null) delete process.env[key];
    else process.env[key] = value;
  }
}
