/**
 * The persistent dev database: an embedded PostgreSQL whose data lives in `.pgshift/dev-db` under the
 * project, on a stable port, that keeps running after `pgshift sync` exits — the app connects to it
 * between syncs. The server is started detached (its own process group, so a Ctrl-C in the terminal
 * does not reach it) and found again through its `postmaster.pid`.
 *
 * It listens on 127.0.0.1 only and trusts local connections, so its URL carries no password.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { pgModule } from '../db/pg-module';
import { PgshiftError } from '../errors';
import { serverUser } from '../shadow/server-user';
import { embeddedBinary } from '../shadow/embedded';
import { isAlive } from '../shadow/file-lock';

export const DEFAULT_DEV_PORT = 54329;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface DevDatabase {
  /** What the app should use: `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** True when this call started the server (false: it was already running). */
  readonly startedNow: boolean;
}

export function devDatabasePaths(projectDir: string): { root: string; dataDir: string; logFile: string } {
  const root = resolve(projectDir, '.pgshift');
  return { root, dataDir: join(root, 'dev-db'), logFile: join(root, 'dev-db.log') };
}

const devUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

/** The running server of `dataDir` per its `postmaster.pid` (line 1: pid, line 4: port), if any. */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return null;
  return { pid, port };
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolvePromise(true); });
    socket.once('error', () => resolvePromise(false));
  });
}

function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * initdb into a sibling folder, renamed into place when complete: a sync killed during initdb leaves a
 * `dev-db.init-<pid>` folder (removed by the next start), never a half-made dev-db.
 */
function initialise(dataDir: string, root: string, user: { uid: number; gid: number } | null): void {
  for (const name of readdirSync(root)) {
    if (name.startsWith(`${basename(dataDir)}.init-`)) rmSync(join(root, name), { recursive: true, force: true });
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new PgshiftError('DATABASE', `${dataDir} exists but holds no PostgreSQL data directory`, {
      hint: 'remove it (it is pgshift\'s dev database folder) and run sync again',
    });
  }
  const building = join(dirname(dataDir), `${basename(dataDir)}.init-${process.pid}`);
  mkdirSync(building, { recursive: true, mode: 0o700 });
  if (user) {
    // The server's user must reach its data dir through .pgshift/.
    chmodSync(root, 0o755);
    chownSync(building, user.uid, user.gid);
  }
  try {
    execFileSync(embeddedBinary('initdb'), [`--pgdata=${building}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-locale', '--no-sync'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ?? {}),
    });
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').slice(-3).join(' ');
    throw new PgshiftError('DATABASE', `could not create the dev database in ${dataDir}: ${stderr || (error as Error).message}`, {
      hint: user ? 'as root, the server runs as user postgres, which must be able to reach the project folder' : 'pass --database-url to use an existing server instead',
    });
  }
  rmSync(dataDir, { recursive: true, force: true }); // an empty folder, if any
  renameSync(building, dataDir);
}

/**
 * One process at a time starts the dev database: two first-time syncs at once would both run initdb on
 * the same folder. The second waits for `.pgshift/dev-db.lock` and then finds the server running. A lock
 * whose owner is gone (a killed sync) is taken over.
 */
async function withStartLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = join(root, 'dev-db.lock');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    let ageMs = 0;
    try {
      owner = Number(readFileSync(lockFile, 'utf8'));
      ageMs = Date.now() - statSync(lockFile).mtimeMs;
    } catch { /* released meanwhile */ }
    const stale = Number.isInteger(owner) && owner > 0 ? !isAlive(owner) : ageMs > 5000;
    if (stale) { rmSync(lockFile, { force: true }); continue; }
    if (Date.now() > deadline) {
      throw new PgshiftError('DATABASE', `another pgshift (pid ${owner}) has been starting the dev database for ${READY_TIMEOUT_MS / 1000} s`, {
        hint: `wait for it, or stop it; the lock is ${lockFile}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new (pgModule().Client)({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilReady(url: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await canConnect(url)) return;
    if (exited()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new PgshiftError('DATABASE', `the dev database did not start${tail(logFile) ? `:\n${tail(logFile)}` : ''}`, {
    hint: `its log is ${logFile}; pass --database-url to use an existing server instead`,
  });
}

/** The dev database of `projectDir`, started (initialised first, once) unless it is running already. */
export async function ensureDevDatabase(projectDir: string, port: number = DEFAULT_DEV_PORT): Promise<DevDatabase> {
  const { root, dataDir, logFile } = devDatabasePaths(projectDir);
  const running = runningServer(dataDir);
  if (running) {
    await waitUntilReady(devUrl(running.port), () => !isAlive(running.pid), logFile);
    return { url: devUrl(running.port), port: running.port, dataDir, startedNow: false };
  }
  mkdirSync(root, { recursive: true });
  return withStartLock(root, async () => {
    // Another sync may have started it while this one waited for the lock.
    const started = runningServer(dataDir);
    if (started) {
      await waitUntilReady(devUrl(started.port), () => !isAlive(started.pid), logFile);
      return { url: devUrl(started.port), port: started.port, dataDir, startedNow: false };
    }
    return startDevServer(root, dataDir, logFile, port);
  });
}

async function startDevServer(root: string, dataDir: string, logFile: string, port: number): Promise<DevDatabase> {
  if (await portInUse(port)) {
    throw new PgshiftError('DATABASE', `port ${port} on 127.0.0.1 is taken by another program, so the dev database cannot start there`, {
      hint: 'pass --port <n> to run the dev database on another port, or --database-url to use an existing server',
    });
  }
  const user = serverUser();
  initialise(dataDir, root, user);
  const log = openSync(logFile, 'a');
  let exited = false;
  try {
    const child = spawn(embeddedBinary('postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
      detached: true,
      stdio: ['ignore', log, log],
      ...(user ?? {}),
    });
    child.once('exit', () => { exited = true; });
    child.once('error', () => { exited = true; });
    child.unref();
  } finally {
    closeSync(log);
  }
  // postmaster.pid appears a moment after spawn; the lock is held until the server answers, so a waiting
  // sync then finds it running.
  await waitUntilReady(devUrl(port), () => exited, logFile);
  return { url: devUrl(port), port, dataDir, startedNow: true };
}

/** Stops the dev database of `projectDir` (a fast shutdown: open sessions are ended). False if it was not running. */
export async function stopDevDatabase(projectDir: string): Promise<boolean> {
  const running = runningServer(devDatabasePaths(projectDir).dataDir);
  if (!running) return false;
  process.kill(running.pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(running.pid)) {
    if (Date.now() > deadline) {
      throw new PgshiftError('DATABASE', `the dev database (pid ${running.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`, {
        hint: `stop it with kill ${running.pid}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
