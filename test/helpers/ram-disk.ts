/**
 * The run's disk work on tmpfs when the machine has one with room (Linux's /dev/shm; a container's
 * default 64 MB is too small, and the run then keeps the OS's temp folder and the server's own disk).
 * Why: every test creates and drops databases (~500 per run, plus a shadow database per CLI run), and on
 * this machine's ext4 a CREATE DATABASE in a folder where many files were just deleted spent ~250 ms of
 * kernel time looking for a free inode (perf: ext4 `recently_deleted`) — ~12 ms on tmpfs. Used by
 * test/global-setup.ts only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const RAM_DISK = '/dev/shm';
const RAM_DISK_MIN_FREE = 4 * 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;

/**
 * A folder of the run's own on tmpfs — the servers' data folders, warm shadows, test projects go there
 * (test/helpers/run-env.ts makes it TMPDIR) — or undefined. The caller removes it at teardown.
 */
export function ramTempDir(): string | undefined {
  try {
    const fs = statfsSync(RAM_DISK);
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < RAM_DISK_MIN_FREE) return undefined;
    const dir = mkdtempSync(join(RAM_DISK, 'pgshift-test-'));
    chmodSync(dir, 0o1777); // as /tmp: as root, the servers' user writes its own files here too
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

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
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
    return await withClient(adminUrl, async (client) => {
      const dataDir = (await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
      const owner = statSync(dataDir);
      const location = join(ramDir, `tablespace-${randomBytes(4).toString('hex')}`);
      mkdirSync(location, { mode: 0o700 });
      chownSync(location, owner.uid, owner.gid);
      const name = `pgshift_test_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE TABLESPACE "${name}" LOCATION '${location}'`);
      return {
        name,
        drop: () => withClient(adminUrl, async (admin) => {
          const left = await admin.query<{ datname: string }>(
            'SELECT datname FROM pg_database WHERE dattablespace = (SELECT oid FROM pg_tablespace WHERE spcname = $1)', [name],
          );
          for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`);
          await admin.query(`DROP TABLESPACE IF EXISTS "${name}"`);
        }),
      };
    });
  } catch {
    return undefined;
  }
}
