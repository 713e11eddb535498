/**
 * The warm shadow server's watchdog (warm-server.ts starts it detached, one per server): a tiny process
 * that stops the server once no run has used it for the idle time, or at once when its folder is gone
 * (a removed cache, the test suite's temp folder). It holds no connection, so it costs the server nothing.
 *
 *   node idle-stop.js <server folder> <idle seconds>
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './file-lock';

const CHECK_EVERY_MS = 5_000;

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function liveLeases(root: string): number {
  try {
    return readdirSync(join(root, 'leases')).filter((name) => isAlive(Number(name))).length;
  } catch {
    return 0;
  }
}

function idleMs(root: string): number {
  try {
    return Date.now() - statSync(join(root, 'last-used')).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function main(root: string, idleSeconds: number): void {
  const dataDir = join(root, 'data');
  // The pid is read once: a later server in the same folder gets its own watchdog.
  const pid = postmasterPid(dataDir);
  if (pid === null) return;
  const timer = setInterval(() => {
    if (!isAlive(pid)) return clearInterval(timer);
    if (!existsSync(dataDir)) {
      process.kill(pid, 'SIGQUIT'); // its files are gone: nothing to shut down cleanly
      return clearInterval(timer);
    }
    if (liveLeases(root) === 0 && idleMs(root) > idleSeconds * 1000) {
      process.kill(pid, 'SIGINT'); // fast shutdown
      clearInterval(timer);
    }
  }, CHECK_EVERY_MS);
}

if (require.main === module) {
  try {
    main(process.argv[2] ?? '', Number(process.argv[3]) || 900);
  } catch {
    // A watchdog never fails loudly: at worst the server runs until the machine stops.
  }
}
