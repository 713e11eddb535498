/**
 * Where pgshift keeps what outlives one run (the warm shadow server, its cached replays): the first of
 * PGSHIFT_CACHE_DIR (the test suite sets it, so tests never share the user's cache), the OS's cache
 * folder ($XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS), or
 * `.pgshift/cache` in the project (git-ignored like the dev database) when the home folder is not writable.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

function osCacheDir(): string | undefined {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'pgshift');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'pgshift', 'cache');
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  return process.platform === 'darwin' ? join(home, 'Library', 'Caches', 'pgshift') : join(home, '.cache', 'pgshift');
}

function usable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cache folder, created if missing; undefined when none of the places can be written. */
export function cacheDir(projectDir: string = process.cwd()): string | undefined {
  // A folder named explicitly is the only one: a test run must never fall through to the user's cache.
  const explicit = process.env.PGSHIFT_CACHE_DIR;
  if (explicit) return usable(explicit) ? resolve(explicit) : undefined;
  const candidates = [osCacheDir(), join(resolve(projectDir), '.pgshift', 'cache')];
  for (const dir of candidates) if (dir && usable(dir)) return resolve(dir);
  return undefined;
}
