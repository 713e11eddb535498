/**
 * A transaction-mode pooler in front of the database is refused before anything is written; a
 * session-mode pool and a direct connection work. Uses a real PgBouncer (Debian package `pgbouncer`,
 * installed by .ci/run) in front of the run's server; skipped when the binary is not there.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { detectTransactionPooling } from '../../src/runner/pooler';
import { migrate } from '../../src/runner/runner';
import { freePort } from '../../src/shadow/embedded';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrationsFolder, runnerOptions, writeAbc, type MigrationsFolder } from './helpers';

const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

interface Bouncer { url(database: string): string; stop(): void }

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

async function startPgbouncer(serverUrl: string, mode: 'transaction' | 'session'): Promise<Bouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const password = decodeURIComponent(server.password);
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-pgbouncer-'));
  const port = await freePort();
  writeFileSync(join(dir, 'users.txt'), `"${user}" "${password}"\n`);
  writeFileSync(join(dir, 'pgbouncer.ini'), [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || 5432}${password ? ` password=${password}` : ''}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    `pool_mode = ${mode}`,
    'default_pool_size = 4',
    'ignore_startup_parameters = extra_float_digits,options',
    `logfile = ${join(dir, 'pgbouncer.log')}`,
    '',
  ].join('\n'));
  const root = userInfo().uid === 0;
  // PgBouncer will not run as root: it switches to `postgres` (-u), which must read its files.
  if (root) {
    chmodSync(dir, 0o755);
    const uid = idOf('-u');
    const gid = idOf('-g');
    for (const f of ['', 'users.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid, gid);
  }
  const child: ChildProcess = spawn(PGBOUNCER!, [...(root ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('pgbouncer did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: (database) => `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`,
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres']).toString().trim());
}

describe.skipIf(!PGBOUNCER)('connection poolers (PgBouncer)', () => {
  let db: TestDatabase;
  let folder: MigrationsFolder;
  const bouncers: Partial<Record<'transaction' | 'session', Bouncer>> = {};
  beforeAll(async () => {
    const admin = adminUrl();
    bouncers.transaction = await startPgbouncer(admin, 'transaction');
    bouncers.session = await startPgbouncer(admin, 'session');
  });
  afterAll(() => {
    bouncers.transaction?.stop();
    bouncers.session?.stop();
  });
  beforeEach(async () => {
    db = await createTestDatabase();
    folder = migrationsFolder();
    writeAbc(folder);
  });
  afterEach(async () => {
    await db.drop();
    folder.remove();
  });

  it('transaction mode: refused before anything is written, with a hint to connect directly', async () => {
    const options = { ...runnerOptions(db, folder), databaseUrl: bouncers.transaction!.url(db.name) };
    const error = (await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e)) as PgshiftError;
    expect(error).toBeInstanceOf(PgshiftError);
    expect(error.code).toBe('REFUSED');
    expect(error.message).toMatch(/connection pooler in transaction or statement mode: .*backend pid/);
    expect(error.hint).toMatch(/point --database-url at PostgreSQL directly/);
    expect(await db.query("SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);
  });

  it('session mode and a direct connection: one server session per connection, migrations run', async () => {
    const options = { ...runnerOptions(db, folder), databaseUrl: bouncers.session!.url(db.name) };
    expect((await migrate(options, { kind: 'up', limit: null })).steps.map((s) => s.version)).toEqual([1, 2, 3]);
    const direct = await db.connect();
    try {
      expect(await detectTransactionPooling(direct, () => db.connect())).toBeNull();
    } finally {
      await direct.end();
    }
  });
});
