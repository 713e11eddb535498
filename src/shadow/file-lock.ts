/**
 * A lock file naming its owner's pid, for the few steps two pgshift runs must not do at once (initdb
 * and start of the warm shadow server). A lock whose owner is gone (a killed run) is taken over; a lock
 * held for longer than `timeoutMs` gives up with an Error (callers fall back, never fail on it).
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

function isStale(lockFile: string): boolean {
  try {
    const owner = Number(readFileSync(lockFile, 'utf8'));
    // An empty file is a lock being written right now, unless it stays empty.
    if (!Number.isInteger(owner) || owner <= 0) return Date.now() - statSync(lockFile).mtimeMs > 5000;
    return !isAlive(owner);
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
}

export async function withFileLock<T>(lockFile: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(lockFile)) {
    if (isStale(lockFile)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lockFile} is held by another process`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
