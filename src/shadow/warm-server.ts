/**
 * The warm shadow server: one PostgreSQL per server version, kept running between runs in the cache
 * folder (cache-dir.ts), so that a run creates a database on it (replay-cache.ts) instead of running
 * initdb and starting a server. Measured on the project's 2-core machine (PG 18, 4-entity sample):
 * initdb + start + stop costs ~1.3 s a run; copying a cached initialised cluster instead of initdb
 * still ~0.5 s (cp of 39 MB, start, stop); a database cloned from a template on a running server
 * ~0.1 s. Only the last keeps the shadow path near the live one, so the server stays up — and stops
 * itself when idle (idle-stop.ts), so it never lingers for long after the last run.
 *
 * Like the throwaway server it listens on 127.0.0.1 only, without a Unix socket; unlike it, it lives
 * longer, so logins need the password kept in a 0600 file beside its data. As root the server runs as
 * user `postgres` (server-user.ts), so its folder must be one that user can reach: when the cache folder
 * is not (under /root), a root-owned folder in the temp dir holds it, as for the binaries
 * (reachable-install.ts).
 *
 * Everything here may fail for reasons of the machine (a corrupt data folder, a full disk, a killed
 * start): callers treat any error as "no warm server" and fall back to a throwaway one. A data folder
 * that will not start is removed and made again once (self-healing).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { canConnect } from './can-connect';
import { freePort } from './embedded';
import { isAlive, withFileLock } from './file-lock';
import { blockingFolder, reachableTempRoot } from './reachable-install';
import { serverUser, type ServerUser } from './server-user';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;
const LOCK_TIMEOUT_MS = 60_000;
/** Without a run for this long, the server stops itself. PGSHIFT_SHADOW_IDLE_SECONDS overrides it. */
const DEFAULT_IDLE_SECONDS = 15 * 60;

export interface WarmServer {
  /** The admin URL (database `postgres`); the password comes from the folder's password file. */
  readonly url: string;
  readonly root: string;
}

export interface WarmBinaries {
  /** `native/bin` with initdb and postgres. */
  readonly binDir: string;
  /** The binaries' package version (`18.4.0-beta.17`): one warm server per version. */
  readonly version: string;
}

function paths(root: string) {
  return {
    data: join(root, 'data'),
    password: join(root, 'password'),
    lock: join(root, 'start.lock'),
    log: join(root, 'server.log'),
    watchdog: join(root, 'watchdog.pid'),
    lastUsed: join(root, 'last-used'),
    leases: join(root, 'leases'),
    reset: join(root, 'reset-needed'),
  };
}

/** A root-owned folder only root may write to (as reachable-install.ts requires for its copies). */
function rootOwnedFolder(path: string): string {
  if (!existsSync(path)) mkdirSync(path, { mode: 0o755 });
  const st = lstatSync(path);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) throw new Error(`${path} is not a root-owned folder`);
  return path;
}

/**
 * This install's folder: in the cache folder, or (as root, when `postgres` cannot reach that) in the temp
 * dir. Keyed by version and by where the binaries are: a server runs its libraries ($libdir: plpgsql, …)
 * from its install, so a server started from another project's (or a deleted temporary) install must never
 * be reused — it would fail with `could not access file "plpgsql"` once that install is gone.
 */
export function warmServerRoot(cache: string, binaries: WarmBinaries, user: ServerUser | null): string {
  const install = createHash('sha256').update(binaries.binDir).digest('hex').slice(0, 10);
  const name = `shadow-${binaries.version}-${process.platform}-${process.arch}-${install}`;
  let base = join(cache, 'shadow');
  mkdirSync(base, { recursive: true });
  if (user && blockingFolder(join(base, name)) !== null) base = rootOwnedFolder(join(reachableTempRoot(), 'pgshift-root-shadow'));
  const root = join(base, name);
  mkdirSync(root, { recursive: true });
  if (user) chmodSync(root, 0o755);
  return root;
}

function readPassword(root: string): string | null {
  try {
    const text = readFileSync(paths(root).password, 'utf8').trim();
    return /^[0-9a-f]{24}$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

const adminUrl = (password: string, port: number) => `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;

/** The running postmaster of the folder's data dir (postmaster.pid: pid on line 1, port on line 4), if any. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0 || !isAlive(pid)) return null;
  try {
    if (!/postgres/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) return null; // a reused pid
  } catch {
    if (process.platform === 'linux') return null;
  }
  return { pid, port };
}

/** initdb into a pid-named sibling renamed into place when complete: a killed initdb never leaves a half-made `data`. */
async function initialise(root: string, binaries: WarmBinaries, user: ServerUser | null): Promise<void> {
  const p = paths(root);
  for (const name of readdirSync(root)) {
    const owner = /^data\.init-(\d+)$/.exec(name);
    if (owner && !isAlive(Number(owner[1]))) rmSync(join(root, name), { recursive: true, force: true });
  }
  const building = join(root, `data.init-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { mode: 0o700 });
  const password = randomBytes(12).toString('hex');
  // initdb reads the password as the server's user; the file is removed right after.
  const pwfile = join(root, `pwfile-${process.pid}`);
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (user) {
    chownSync(building, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    await run(join(binaries.binDir, 'initdb'), [`--pgdata=${building}`, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--username=postgres',
      '--encoding=UTF8', '--no-locale', '--no-sync'], user ?? {});
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(pwfile, { force: true });
  }
  rmSync(p.data, { recursive: true, force: true });
  renameSync(building, p.data);
  writeFileSync(p.password, password, { mode: 0o600 });
}

async function startServer(root: string, binaries: WarmBinaries, user: ServerUser | null, password: string): Promise<string> {
  const p = paths(root);
  const port = await freePort();
  const log = openSync(p.log, 'w');
  let exited = false;
  try {
    const child = spawn(join(binaries.binDir, 'postgres'), ['-D', p.data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], {
      detached: true, // its own process group: a Ctrl-C of this run does not reach it
      stdio: ['ignore', log, log],
      ...(user ?? {}),
    });
    child.once('exit', () => { exited = true; });
    child.once('error', () => { exited = true; });
    child.unref();
  } finally {
    closeSync(log);
  }
  const url = adminUrl(password, port);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(url))) {
    if (exited || Date.now() > deadline) throw new Error(`the warm shadow server did not start (see ${p.log})`);
    await new Promise((r) => setTimeout(r, 30));
  }
  return url;
}

/** Starts the idle watchdog unless one runs for this folder already. */
function ensureWatchdog(root: string): void {
  const p = paths(root);
  try {
    const pid = Number(readFileSync(p.watchdog, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
  } catch { /* none yet */ }
  const seconds = Number(process.env.PGSHIFT_SHADOW_IDLE_SECONDS) > 0 ? Number(process.env.PGSHIFT_SHADOW_IDLE_SECONDS) : DEFAULT_IDLE_SECONDS;
  const child = spawn(process.execPath, [join(__dirname, 'idle-stop.js'), root, String(seconds)], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid) writeFileSync(p.watchdog, String(child.pid));
}

function stopPostmaster(dataDir: string): void {
  const running = runningPostmaster(dataDir);
  if (!running) return;
  try { process.kill(running.pid, 'SIGQUIT'); } catch { return; }
  const until = Date.now() + 5000;
  while (isAlive(running.pid) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  if (isAlive(running.pid)) try { process.kill(running.pid, 'SIGKILL'); } catch { /* gone */ }
}

/** Lease files of runs still alive, other than this process. */
function otherLiveLeases(root: string): number {
  try {
    return readdirSync(paths(root).leases).filter((name) => Number(name) !== process.pid && isAlive(Number(name))).length;
  } catch {
    return 0;
  }
}

/**
 * Holds the server for this run: the watchdog never stops a server with a live lease. Returns the release
 * (also done on exit; a killed run's lease names a dead pid, which the watchdog ignores).
 */
export function takeLease(root: string): () => void {
  const p = paths(root);
  mkdirSync(p.leases, { recursive: true });
  const file = join(p.leases, String(process.pid));
  writeFileSync(file, '');
  const touch = () => { try { writeFileSync(p.lastUsed, ''); } catch { /* best effort */ } };
  touch();
  const release = () => {
    touch();
    rmSync(file, { force: true });
    process.removeListener('exit', release);
  };
  process.on('exit', release);
  return release;
}

/** Asks for a fresh cluster: a replay changed the server's shared state (roles, tablespaces, settings). */
export function markForReset(root: string): void {
  try { writeFileSync(paths(root).reset, ''); } catch { /* the next run's checks find it again */ }
}

/** A started server, or an Error (callers fall back to a throwaway server). */
export async function ensureWarmServer(root: string, binaries: WarmBinaries): Promise<WarmServer> {
  const p = paths(root);
  const user = serverUser();
  const found = (): WarmServer | null => {
    const running = runningPostmaster(p.data);
    const password = readPassword(root);
    return running && password && !existsSync(p.reset) ? { url: adminUrl(password, running.port), root } : null;
  };
  const fast = found();
  if (fast) {
    ensureWatchdog(root);
    return fast;
  }
  return withFileLock(p.lock, LOCK_TIMEOUT_MS, async () => {
    const meanwhile = found();
    if (meanwhile) return meanwhile;
    if (existsSync(p.reset)) {
      // Never pull the server from under another run: that run falls back instead.
      if (otherLiveLeases(root) > 0) throw new Error('the warm shadow server awaits a reset while other runs use it');
      stopPostmaster(p.data);
      rmSync(p.data, { recursive: true, force: true });
      rmSync(p.reset, { force: true });
    }
    // A server of this folder that runs but does not answer to the password is not ours to reuse.
    stopPostmaster(p.data);
    let url: string;
    try {
      if (!existsSync(join(p.data, 'PG_VERSION')) || readPassword(root) === null) await initialise(root, binaries, user);
      url = await startServer(root, binaries, user, readPassword(root)!);
    } catch {
      // A corrupt or half-copied data folder: make it again, once.
      stopPostmaster(p.data);
      rmSync(p.data, { recursive: true, force: true });
      await initialise(root, binaries, user);
      url = await startServer(root, binaries, user, readPassword(root)!);
    }
    ensureWatchdog(root);
    return { url, root };
  });
}

/** A server that answers no more (killed, data removed): stop what is left so the next run starts afresh. */
export function discardWarmServer(root: string): void {
  stopPostmaster(paths(root).data);
  rmSync(paths(root).data, { recursive: true, force: true });
}

/** Stops every warm server under `cache` (the test suite's teardown). */
export function stopWarmServers(cache: string): void {
  const base = join(cache, 'shadow');
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) if (basename(name).startsWith('shadow-')) stopPostmaster(paths(join(base, name)).data);
}
