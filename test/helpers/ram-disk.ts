/**
 * The run's disk work on tmpfs when the machine has one with room (Linux's /dev/shm; a container's
 * default 64 MB is too small, and the run then keeps the OS's temp folder and the server's own disk).
 * Why: every test creates and drops databases (~500 per run, plus a shadow database per CLI run), and on
 * this machine's ext4 a CREATE DATABASE in a folder where many files were just deleted spent ~250 ms of
 * kernel time looking for a free inode (perf: ext4 `recently_deleted`) — ~12 ms on tmpfs. Used by
 * test/global-setup.ts only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { isAlive } from '../../src/shadow/file-lock';
import { runningPostmaster, shutDown } from '../../src/shadow/orphans';
import { withAdmin } from './db';

const RAM_DISK = '/dev/shm';
const RAM_DISK_MIN_FREE = 4 * 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;
const RUN_PREFIX = 'pgshift-test-';
/** The pid of the run (vitest's main process) that owns a folder. */
const OWNER_FILE = 'run.pid';
const TABLESPACE_PREFIX = 'pgshift_test_';

function ownerAlive(dir: string): boolean {
  const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

/** Shuts down every server whose data folder is under `dir` (depth ≤ 5), as the shadow orphan cleanup does. */
function stopServersUnder(dir: string, depth = 0): void {
  if (depth > 5) return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  if (names.includes('postmaster.pid')) {
    const pid = runningPostmaster(dir);
    if (pid !== null) shutDown(pid);
    return;
  }
  for (const name of names) {
    try {
      if (statSync(join(dir, name)).isDirectory()) stopServersUnder(join(dir, name), depth + 1);
    } catch {
      // removed meanwhile
    }
  }
}

/**
 * A run killed before its teardown leaves its folder — with servers running in it, in RAM. The next run
 * stops those and removes the folder (a folder whose run still lives, or without an owner yet, is kept).
 */
function removeKilledRuns(): void {
  for (const name of readdirSync(RAM_DISK).filter((n) => n.startsWith(RUN_PREFIX))) {
    const dir = join(RAM_DISK, name);
    try {
      if (!existsSync(join(dir, OWNER_FILE)) || ownerAlive(dir)) continue;
      stopServersUnder(dir);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // another user's folder, or removed meanwhile
    }
  }
}

/**
 * A folder of the run's own on tmpfs — the servers' data folders, warm shadows, test projects go there
 * (test/helpers/run-env.ts makes it TMPDIR) — or undefined. The caller removes it at teardown.
 */
export function ramTempDir(): string | undefined {
  try {
    if (statfsSync(RAM_DISK).type !== TMPFS_MAGIC) return undefined;
    removeKilledRuns();
    const fs = statfsSync(RAM_DISK);
    if (fs.bavail * fs.bsize < RAM_DISK_MIN_FREE) return undefined;
    const dir = mkdtempSync(join(RAM_DISK, RUN_PREFIX));
    chmodSync(dir, 0o1777); // as /tmp: as root, the servers' user writes its own files here too
    writeFileSync(join(dir, OWNER_FILE), String(process.pid));
    return dir;
  } catch {
    return undefined;
  }
}

export interface RamTablespace {
  readonly name: string;
  /** Drops the test databases still in it, then the tablespace. */
  drop(): Promise<void>;
}

/** Drops the test databases still in tablespace `name`, then the tablespace. */
async function dropTablespace(admin: Client, name: string): Promise<void> {
  const left = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE dattablespace = (SELECT oid FROM pg_tablespace WHERE spcname = $1)', [name],
  );
  for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`);
  await admin.query(`DROP TABLESPACE IF EXISTS "${name.replace(/"/g, '""')}"`);
}

/** A killed run's tablespace: its folder is gone (removeKilledRuns) or its run has ended. */
async function dropKilledRunsTablespaces(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ spcname: string; location: string }>(
    "SELECT spcname, pg_tablespace_location(oid) AS location FROM pg_tablespace WHERE spcname LIKE 'pgshift\\_test\\_%'",
  );
  for (const { spcname, location } of rows) {
    const runDir = join(location, '..');
    const killed = !existsSync(location) || (location.startsWith(`${RAM_DISK}/${RUN_PREFIX}`) && existsSync(join(runDir, OWNER_FILE)) && !ownerAlive(runDir));
    if (killed) await dropTablespace(admin, spcname).catch(() => undefined);
  }
}

/**
 * For a server the run did not start (PGSHIFT_TEST_URL: its data folder is on its own disk), a tablespace
 * in `ramDir` that the test databases are created in (test/helpers/db.ts): on the machine's PG 15 a
 * CREATE DATABASE took 45–170 ms (growing as the run churns the disk), 15–20 ms there, and 20 DDL commits
 * in it 60–100 ms → 25–35 ms. Only where it can be done without asking: the server runs on this machine
 * (its data folder is here), its user can own a folder we make (we are that user, or root), and we are
 * its superuser. Otherwise undefined, and test databases stay in the server's default tablespace.
 */
export async function ramTablespace(adminUrl: string, ramDir: string): Promise<RamTablespace | undefined> {
  try {
    return await withAdmin(adminUrl, async (client) => {
      const dataDir = (await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
      const owner = statSync(dataDir);
      const location = join(ramDir, `tablespace-${randomBytes(4).toString('hex')}`);
      mkdirSync(location, { mode: 0o700 });
      chownSync(location, owner.uid, owner.gid);
      await dropKilledRunsTablespaces(client);
      const name = `${TABLESPACE_PREFIX}${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE TABLESPACE "${name}" LOCATION '${location.replace(/'/g, "''")}'`);
      return {
        name,
        drop: () => withAdmin(adminUrl, (admin) => dropTablespace(admin, name)),
      };
    });
  } catch {
    return undefined;
  }
}
