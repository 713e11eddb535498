/**
 * The real CLI (`node bin/pgshift.js …` as child processes): exit codes, messages, two concurrent `up`
 * processes, and never a password in the output.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrationsFolder, versionRows, writeAbc, type MigrationsFolder } from './helpers';

const ROOT = join(__dirname, '..', '..');

interface CliResult { code: number; stdout: string; stderr: string }

function pgshift(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'pgshift.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: undefined, NO_COLOR: '1', ...env },
    }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * A login role with a distinctive password that owns the test database, and a URL for it: the output
 * must never contain that password (works under password and trust authentication alike).
 */
async function roleWithPassword(db: TestDatabase): Promise<{ url: string; password: string }> {
  const role = `${db.name}_cli`;
  const password = `pw-${db.name.slice(-10)}-never-print`;
  await db.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
  await db.query(`ALTER DATABASE "${db.name}" OWNER TO "${role}"`);
  await db.query(`ALTER SCHEMA public OWNER TO "${role}"`);
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  return { url: u.toString(), password };
}

describe('pgshift CLI (child processes)', () => {
  let db: TestDatabase;
  let folder: MigrationsFolder;
  beforeEach(async () => {
    db = await createTestDatabase();
    folder = migrationsFolder();
  });
  afterEach(async () => {
    await db.drop();
    folder.remove();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS "${db.name}_cli"`).finally(() => admin.end());
  });

  it('up, status, version, down, goto, force: output and exit codes, password never printed', async () => {
    writeAbc(folder);
    const { url, password } = await roleWithPassword(db);
    const all: CliResult[] = [];
    const run = async (...args: string[]) => {
      const r = await pgshift([...args, '--dir', folder.dir, '--database-url', url]);
      all.push(r);
      return r;
    };

    const pending = await run('status');
    expect(pending.code).toBe(0);
    expect(pending.stdout).toMatch(/version none\n {2}000001_create_a\.up\.sql {2}pending\n.*\n.*\n3 pending/);

    const up = await run('up', '2');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^applying 000001_create_a\.up\.sql … done in \d+ms\napplying 000002_create_b\.up\.sql … done in \d+ms\napplied 2 migrations; the database is at version 2\n$/);

    const version = await run('version');
    expect([version.code, version.stdout]).toEqual([0, '2\n']);

    const rest = await run('up');
    expect(rest.stdout).toMatch(/applied 1 migration; the database is at version 3/);
    const nothing = await run('up');
    expect([nothing.code, nothing.stdout]).toEqual([0, 'no pending migrations; the database is at version 3\n']);

    const downAll = await run('down');
    expect(downAll.code).toBe(1);
    expect(downAll.stderr).toMatch(/error: `pgshift down` without a count reverts every applied migration\nhint: pass --all/);
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);

    const down = await run('down', '1');
    expect([down.code, down.stdout]).toEqual([0, expect.stringMatching(/reverting 000003_create_c\.down\.sql … done .*\nreverted 1 migration; the database is at version 2\n$/)]);
    const gotoOne = await run('goto', '1');
    expect(gotoOne.stdout).toMatch(/ran 1 migration; the database is at version 1/);
    const both = await run('down', '1', '--all');
    expect([both.code, both.stderr]).toEqual([1, expect.stringMatching(/either a count or --all/)]);
    const everything = await run('down', '--all');
    expect(everything.stdout).toMatch(/reverted 1 migration; the database is at version none/);
    expect(await versionRows(db)).toEqual([]);

    const force = await run('force', '2');
    expect([force.code, force.stdout]).toEqual([0, 'forced version 2 (was none)\n']);
    const forceNone = await run('force', '-1');
    expect(forceNone.stdout).toBe('forced version none (was 2)\n');
    const forceBad = await run('force', '-5');
    expect(forceBad.code).toBe(1);
    expect(forceBad.stderr).toMatch(/expected a migration version/);

    for (const r of all) expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('a failed migration: exit 1 with the file and the hint, clean at the previous version; a dirty state is explained by status and refused with both force versions', async () => {
    writeAbc(folder);
    folder.write(4, 'broken', 'CREATE TABLE d (id int);\nSELECT * FROM nowhere;', 'DROP TABLE d;');
    const { url, password } = await roleWithPassword(db);
    const env = { DATABASE_URL: url };
    const failed = await pgshift(['up', '-d', folder.dir], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/applying 000004_broken\.up\.sql … \n?$/);
    expect(failed.stderr).toMatch(/error: 000004_broken\.up\.sql failed \(line 2\): relation "nowhere" does not exist\nhint: .*rolled back: the database is still at version 3, not dirty/);

    const clean = await pgshift(['status', '-d', folder.dir], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/version 3\n[\s\S]*000004_broken\.up\.sql\s+pending/);

    // What a killed golang-migrate leaves: dirty, with no record of the file.
    await db.query('TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (4, true)');
    const refused = await pgshift(['up', '-d', folder.dir], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Dirty database version 4: .*\nhint: .*`pgshift force 4`.*`pgshift force 3`/);
    const status = await pgshift(['status', '-d', folder.dir], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/version 4 \(dirty\)/);
    expect(status.stderr).toMatch(/dirty at version 4: the interrupted run left no record .*`pgshift force 4`.*`pgshift force 3`/);
    const version = await pgshift(['version'], env);
    expect([version.code, version.stdout]).toEqual([1, '4 (dirty)\n']);

    expect((await pgshift(['force', '3', '-d', folder.dir], env)).code).toBe(0);
    folder.write(4, 'broken', 'CREATE TABLE d (id int);', 'DROP TABLE d;');
    expect((await pgshift(['up', '-d', folder.dir], env)).code).toBe(0);
    for (const r of [failed, clean, refused, status, version]) expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('status exits 1 for an edited applied file; up refuses unless --allow-edited', async () => {
    writeAbc(folder);
    const env = { DATABASE_URL: db.url };
    await pgshift(['up', '2', '-d', folder.dir], env);
    folder.write(1, 'create_a', 'CREATE TABLE a (id bigint);', 'DROP TABLE a;');
    const status = await pgshift(['status', '-d', folder.dir], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/000001_create_a\.up\.sql {2}EDITED since applied/);
    expect(status.stderr).toMatch(/1 applied migration was edited or removed/);
    const refused = await pgshift(['up', '-d', folder.dir], env);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/error: applied migrations changed: 000001_create_a\.up\.sql was edited after it was applied\nhint: .*--allow-edited/)]);
    const allowed = await pgshift(['up', '-d', folder.dir, '--allow-edited'], env);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/warning: going on although 000001_create_a\.up\.sql was edited/);
  });

  it('two concurrent `up` processes apply each migration once', async () => {
    folder.write(1, 'log', 'CREATE TABLE applied_log (version int);\nINSERT INTO applied_log VALUES (1);', 'DROP TABLE applied_log;');
    folder.write(2, 'slow', 'SELECT pg_sleep(0.5);\nINSERT INTO applied_log VALUES (2);', 'SELECT 1;');
    folder.write(3, 'three', 'INSERT INTO applied_log VALUES (3);', 'SELECT 1;');
    const env = { DATABASE_URL: db.url };
    const [a, b] = await Promise.all([pgshift(['up', '-d', folder.dir], env), pgshift(['up', '-d', folder.dir], env)]);
    expect([a!.code, b!.code]).toEqual([0, 0]);
    const outputs = [a!.stdout, b!.stdout].sort();
    expect(outputs.some((o) => /applied 3 migrations/.test(o))).toBe(true);
    expect(outputs.some((o) => /no pending migrations; the database is at version 3/.test(o))).toBe(true);
    expect(await db.query('SELECT version, count(*)::int AS n FROM applied_log GROUP BY 1 ORDER BY 1')).toEqual([
      { version: 1, n: 1 }, { version: 2, n: 1 }, { version: 3, n: 1 },
    ]);
  });

  it('errors clearly without a database URL, and on an unreachable server without printing the password', async () => {
    const missing = await pgshift(['up', '-d', folder.dir]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/error: no database URL\nhint: pass --database-url/)]);
    const unreachable = await pgshift(['status', '-d', folder.dir, '--database-url', 'postgres://app:hunter2-secret@127.0.0.1:1/app']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1\/app/);
    expect(unreachable.stderr).not.toContain('hunter2-secret');
    // Checked before anything else happens, even with nothing to run.
    const badFlag = await pgshift(['up', '--lock-timeout', 'soon', '-d', folder.dir, '--database-url', db.url]);
    expect([badFlag.code, badFlag.stderr]).toEqual([1, expect.stringMatching(/invalid --lock-timeout "soon"/)]);
    const badCount = await pgshift(['up', '0', '-d', folder.dir, '--database-url', db.url]);
    expect([badCount.code, badCount.stderr]).toEqual([1, expect.stringMatching(/expected a number of migrations ≥ 1/)]);
  });
});
