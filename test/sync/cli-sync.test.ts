/**
 * `pgshift sync` as a developer runs it: the applied/skipped listing, --dry-run, --watch picking up an
 * edited entity file, and the persistent dev database surviving a stop and a second sync.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/shadow/embedded';
import { stopDevDatabase } from '../../src/sync/dev-database';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const EVOLVE = join(REPO_ROOT, 'test/fixtures/evolve');
const BIN = resolve(REPO_ROOT, 'bin', 'pgshift.js');

/**
 * A project folder in the temp dir — as root the dev database runs as user postgres, which must reach
 * its data folder, and a checkout under /root would not let it — with the repository's node_modules
 * linked in, so that its config resolves `typeorm`.
 */
function makeProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(EVOLVE, 'before.ts'), join(dir, 'ormconfig.ts'));
  return dir;
}

/** Resolves with the output so far once `pattern` matches it; rejects after `ms`. */
function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      if (pattern.test(output())) { cleanup(); resolvePromise(output()); }
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${pattern}; output:\n${output()}`)); }, ms);
    const onExit = () => { cleanup(); reject(new Error(`exited before ${pattern}; output:\n${output()}`)); };
    const cleanup = () => { clearTimeout(timer); child.stdout!.off('data', check); child.stderr!.off('data', check); child.off('exit', onExit); };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

describe('pgshift sync', () => {
  let db: TestDatabase | undefined;
  const projects: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const project of projects.splice(0)) {
      await stopDevDatabase(project).catch(() => undefined);
      rmSync(project, { recursive: true, force: true });
    }
    await db?.drop();
    db = undefined;
  });

  it('lists what it applied and what it skipped, and --dry-run prints SQL without applying', async () => {
    db = await createTestDatabase('pgshift_sync_cli');
    const first = await runCli(['sync', '-c', join(EVOLVE, 'before.ts'), '--database-url', db.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied: create enum account_status \(active, blocked\)$/m);
    expect(first.stdout).toMatch(/^sync: 3 applied, 0 skipped \(\d+ ms\)$/m);

    const dry = await runCli(['sync', '-c', join(EVOLVE, 'add-fk.ts'), '--database-url', db.url, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^would apply: add column accounts\.owner_id \(integer, null\)\n {2}ALTER TABLE "public"\."accounts" ADD COLUMN "owner_id" integer;$/m);
    expect(dry.stdout).toMatch(/nothing was changed/);
    expect(await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'owner_id'`)).toEqual([]);

    await db.query(`INSERT INTO accounts (name) VALUES ('someone')`);
    const required = await runCli(['sync', '-c', join(EVOLVE, 'add-required-column.ts'), '--database-url', db.url]);
    expect(required.code, required.stderr).toBe(0);
    expect(required.stdout).toMatch(/^skipped: add column accounts\.region \(character varying\(10\), not null\) — NOT NULL without a default, and the table has rows; .*--backfill/m);

    const dropped = await runCli(['sync', '-c', join(EVOLVE, 'drop-column.ts')], { env: { DATABASE_URL: db.url } });
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toMatch(/^skipped: drop column accounts\.note — sync never drops; use `pgshift gen diff --allow-destructive`$/m);
    expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'`)).toEqual([{ n: 1 }]);
  });

  it('--watch syncs again when an entity file is edited, and Ctrl-C stops it cleanly', async () => {
    db = await createTestDatabase('pgshift_sync_watch');
    const project = makeProject('sync-watch-');
    projects.push(project);
    let output = '';
    const child = spawn(process.execPath, [BIN, 'sync', '--watch', '--database-url', db.url], {
      cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await waitForOutput(child, () => output, /watching the entity files/, 30_000);
    expect(output).toMatch(/^sync: 3 applied, 0 skipped/m);

    copyFileSync(join(EVOLVE, 'add-index.ts'), join(project, 'ormconfig.ts'));
    await waitForOutput(child, () => output, /^sync: 1 applied, 0 skipped/m, 30_000);
    expect(output).toMatch(/ormconfig\.ts changed\napplied: create index IDX_\w+ on accounts \(name\)/);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' AND indexname LIKE 'IDX_%'`)).toHaveLength(1);

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/stopped watching/);
  }, 90_000);

  it('keeps the dev database in .pgshift/dev-db: it survives a stop and serves the next sync', async () => {
    const project = makeProject('sync-dev-');
    projects.push(project);
    const port = await freePort();
    const env = { DATABASE_URL: undefined };
    const first = await runCli(['sync', '--port', String(port)], { cwd: project, env });
    expect(first.code, first.stderr).toBe(0);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    expect(first.stdout).toContain(`dev database: ${url} (started; data in .pgshift/dev-db)`);
    expect(first.stdout).toMatch(/^sync: 3 applied/m);

    // It keeps running for the app after sync exits.
    const app = new Client({ connectionString: url });
    await app.connect();
    await app.query(`INSERT INTO accounts (name) VALUES ('kept')`);
    await app.end();

    const again = await runCli(['sync', '--port', String(port)], { cwd: project, env });
    expect(again.stdout).toContain(`dev database: ${url} (running;`);
    expect(again.stdout).toMatch(/^sync: 0 applied, 0 skipped/m);

    const stop = await runCli(['sync', '--stop'], { cwd: project, env });
    expect(stop.stdout).toMatch(/stopped the dev database/);

    const restarted = await runCli(['sync', '--port', String(port)], { cwd: project, env });
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`dev database: ${url} (started;`);
    expect(restarted.stdout).toMatch(/^sync: 0 applied, 0 skipped/m);
    const check = new Client({ connectionString: url });
    await check.connect();
    expect((await check.query('SELECT name FROM accounts')).rows).toEqual([{ name: 'kept' }]);
    await check.end();
  }, 120_000);

  it('two first-time syncs at once take turns: one starts the dev database, the other finds it running', async () => {
    const project = makeProject('sync-race-');
    projects.push(project);
    const port = await freePort();
    const env = { DATABASE_URL: undefined };
    const runs = await Promise.all([1, 2].map(() => runCli(['sync', '--port', String(port)], { cwd: project, env })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const outs = runs.map((r) => r.stdout);
    expect(outs.filter((o) => o.includes('(started;'))).toHaveLength(1);
    expect(outs.filter((o) => o.includes('(running;'))).toHaveLength(1);
    expect(outs.filter((o) => /^sync: 3 applied/m.test(o))).toHaveLength(1);
    expect(outs.filter((o) => /^sync: 0 applied/m.test(o))).toHaveLength(1);
    expect(readdirSync(join(project, '.pgshift')).sort()).toEqual(['dev-db', 'dev-db.log']);
  }, 120_000);
});
