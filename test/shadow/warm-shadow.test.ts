/**
 * The warm shadow (src/shadow/warm-server.ts, replay-cache.ts) through the real CLI: the cached replay
 * never hides a folder that fails or differs, a second run reuses the cache, and a corrupt cache, a
 * killed run or two runs at once still give the right answer. Each case has its own cache folder (and
 * so its own warm server), stopped afterwards.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { stopWarmServers } from '../../src/shadow/warm-server';
import { REPO_ROOT, runCli } from '../helpers/cli';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** A cache folder of its own, and a migrations folder: the sample's init plus `extra` no-op files. */
function setup(extra = 2): { cache: string; dir: string } {
  const cache = mkdtempSync(join(tmpdir(), 'pgshift-warm-cache-'));
  chmodSync(cache, 0o755);
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-warm-dir-'));
  cleanup.push(() => {
    stopWarmServers(cache);
    rmSync(cache, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  cpSync(join(REPO_ROOT, 'migrations'), dir, { recursive: true });
  for (let v = 2; v < 2 + extra; v += 1) {
    const name = `00000${v}_noop`;
    writeFileSync(join(dir, `${name}.up.sql`), `CREATE TABLE scratch_${v} (id int);\nDROP TABLE scratch_${v};\n`);
    writeFileSync(join(dir, `${name}.down.sql`), 'SELECT 1;\n');
  }
  return { cache, dir };
}

const check = (cache: string, dir: string) =>
  runCli(['check', '-d', dir], { env: { DATABASE_URL: undefined, PGSHIFT_SHADOW_URL: undefined, PGSHIFT_CACHE_DIR: cache } });

/** Polls `condition` every 10 ms, for at most 60 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function serverRoot(cache: string): string {
  const base = join(cache, 'shadow');
  return join(base, readdirSync(base).find((name) => name.startsWith('shadow-'))!);
}

/** The databases on the warm server of `cache`. */
async function databases(cache: string): Promise<string[]> {
  const root = serverRoot(cache);
  const port = Number(readFileSync(join(root, 'data', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(join(root, 'password'), 'utf8').trim();
  const client = new Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pgshift%' ORDER BY 1")).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describe('the warm shadow', () => {
  it('caches the replay, and an edit to an early file that makes it fail makes check fail', async () => {
    const { cache, dir } = setup();
    const first = await check(cache, dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect((await databases(cache)).filter((n) => n.startsWith('pgshift_tpl_'))).toHaveLength(1);
    // The cached prefix covers every file; break the first one.
    appendFileSync(join(dir, '000001_init.up.sql'), '\nSELECT * FROM no_such_table;\n');
    const broken = await check(cache, dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: 000001_init\.up\.sql failed on the shadow database: relation "no_such_table" does not exist/);
  }, 120_000);

  it('an edit to an early file that changes the schema is seen (check exits 2), a later file is replayed on the cached prefix', async () => {
    const { cache, dir } = setup();
    expect((await check(cache, dir)).code).toBe(0);
    writeFileSync(join(dir, '000002_noop.up.sql'), 'ALTER TABLE users ADD COLUMN stray int;\n');
    const changed = await check(cache, dir);
    expect(changed.code, changed.stdout + changed.stderr).toBe(2);
    expect(changed.stdout).toMatch(/stray/);
    writeFileSync(join(dir, '000002_noop.up.sql'), 'SELECT 1;\n');
    writeFileSync(join(dir, '000009_more.up.sql'), 'ALTER TABLE assets ADD COLUMN later int;\n');
    writeFileSync(join(dir, '000009_more.down.sql'), 'ALTER TABLE assets DROP COLUMN later;\n');
    const later = await check(cache, dir);
    expect(later.code, later.stdout + later.stderr).toBe(2);
    expect(later.stdout).toMatch(/later/);
    expect(later.stdout).not.toMatch(/stray/);
    // No run's own database is left behind.
    expect((await databases(cache)).filter((n) => !n.startsWith('pgshift_tpl_'))).toEqual([]);
  }, 120_000);

  it('a session SET in a file is not cached across files, and gives the answer a full replay gives', async () => {
    const { cache, dir } = setup(0);
    writeFileSync(join(dir, '000002_path.up.sql'), 'CREATE SCHEMA side;\nSET search_path TO side;\n');
    writeFileSync(join(dir, '000002_path.down.sql'), 'DROP SCHEMA side;\n');
    expect((await check(cache, dir)).code).toBe(0);
    // In one session (golang-migrate's) this lands in `side`; in `public` it would clash with the sample's users.
    writeFileSync(join(dir, '000003_in_side.up.sql'), 'CREATE TABLE users (id int);\n');
    writeFileSync(join(dir, '000003_in_side.down.sql'), 'SELECT 1;\n');
    const result = await check(cache, dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const full = await runCli(['check', '-d', dir], { env: { DATABASE_URL: undefined, PGSHIFT_WARM_SHADOW: '0', PGSHIFT_SHADOW_URL: undefined } });
    expect(full.code).toBe(result.code);
  }, 120_000);

  it('a corrupt cache heals itself: a data folder that cannot start is made again', async () => {
    const { cache, dir } = setup();
    expect((await check(cache, dir)).code).toBe(0);
    const root = serverRoot(cache);
    stopWarmServers(cache);
    writeFileSync(join(root, 'data', 'global', 'pg_control'), 'garbage');
    // Without the run caches: with them, the unchanged folder's state is cached and no server is needed.
    const healed = await runCli(['check', '-d', dir], { env: { DATABASE_URL: undefined, PGSHIFT_SHADOW_URL: undefined, PGSHIFT_CACHE_DIR: cache, PGSHIFT_CACHE: 'off' } });
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
    expect(existsSync(join(root, 'data', 'postmaster.pid'))).toBe(true);
  }, 120_000);

  it('a run killed mid-way leaves nothing the next run trips over; two runs at once both answer', async () => {
    const { cache, dir } = setup();
    const env = { ...process.env, DATABASE_URL: '', PGSHIFT_SHADOW_URL: '', PGSHIFT_CACHE_DIR: cache };
    const killed = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'pgshift.js'), 'check', '-d', dir], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    const exited = new Promise((r) => killed.once('exit', r));
    // Mid-way: the warm server's data folder is being made (initdb wrote PG_VERSION), the replay not run.
    await until(() => existsSync(join(cache, 'shadow')) && readdirSync(join(cache, 'shadow')).some((name) => existsSync(join(cache, 'shadow', name, 'data', 'PG_VERSION'))));
    expect(killed.exitCode, 'the run ended before it could be killed mid-way').toBeNull();
    killed.kill('SIGKILL');
    await exited;
    const [a, b] = await Promise.all([check(cache, dir), check(cache, dir)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect((await databases(cache)).filter((n) => !n.startsWith('pgshift_tpl_'))).toEqual([]);
  }, 180_000);
});
