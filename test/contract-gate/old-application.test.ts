/**
 * Issue #15 end to end, through the CLI: while an old application writes through the renamed column,
 * `gen diff --contract --database-url` and `pgshift up` refuse the contract (exit 3, with the evidence);
 * once it has stopped and a (shortened) quiet period has passed, the contract is written and runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { runCli } from '../helpers/cli';
import { sleep, startOldApp } from './old-app';

const QUIET = ['--quiet-for', '3s'];
const QUIET_MS = 3000;
const OLD_WRITES = ["UPDATE accounts SET note = 'old app $i' WHERE id = 1"];

describe('contract gate: an old application writing through the old column', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_contract_gate');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contract-gate-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the contract refused while it writes; after it stops and the quiet period passes, the contract is written and runs', async () => {
    const migrations = join(dir, 'migrations');
    const config = 'test/fixtures/evolve/rename-column.ts';
    const url = ['--database-url', db.url];
    expect((await runCli(['gen', 'diff', 'init', '-c', 'test/fixtures/evolve/before.ts', '-d', migrations, '--create-dir'])).code).toBe(0);
    const expand = await runCli(['gen', 'diff', '-c', config, '-d', migrations, '--rename', 'accounts.note=remark']);
    expect(expand.code, expand.stderr).toBe(0);
    // The first up of a database without a version: the init, the expand (which starts watching) and its backfill.
    expect((await runCli(['up', '-d', migrations, ...url])).code).toBe(0);
    await db.query("INSERT INTO accounts (id, name, remark) VALUES (1, 'a', 'new app')");

    const app = await startOldApp(db.url, OLD_WRITES);
    await sleep(QUIET_MS + 300); // watched for longer than the quiet period: only the writes keep it in use
    const files = () => readdirSync(migrations).sort();
    const before = files();
    const refused = await runCli(['gen', 'diff', '--contract', '-c', config, '-d', migrations, ...url, ...QUIET]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('rename-column:public.accounts.note: old shape column public.accounts.note');
    expect(refused.stderr).toMatch(/last write through it: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(\ds ago\)/);
    expect(refused.stderr).toContain('in use: a write arrived through it');
    expect(refused.stderr).toContain('--force-contract');
    expect(files(), 'nothing written').toEqual(before);
    // check and status show the pending contract with the same evidence, without refusing anything.
    const check = await runCli(['check', '-c', config, '-d', migrations, ...url, ...QUIET]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('Pending contract steps (1)');
    expect(check.stdout).toMatch(/Contract evidence \(.+, quiet period 3s\): 1 of 1 still in use/);
    const status = await runCli(['status', '-d', migrations, ...url, ...QUIET]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('rename-column:public.accounts.note: old shape column public.accounts.note');
    expect(status.stdout).toContain('in use: a write arrived through it');
    await app.stop();

    await sleep(QUIET_MS + 300);
    const written = await runCli(['gen', 'diff', '--contract', '-c', config, '-d', migrations, ...url, ...QUIET]);
    expect(written.code, written.stderr).toBe(0);
    const contractFile = files().find((f) => /after_rename\.up\.sql$/.test(f))!;
    const header = readFileSync(join(migrations, contractFile), 'utf8');
    expect(header).toContain('-- pgshift:contract rename-column:public.accounts.note\n');
    expect(header).toMatch(/-- Evidence: rename-column:public\.accounts\.note on .+: last old write \S+Z, (reads unverified|no reads)/);
    expect(header).not.toContain('contract-forced');

    // The gate at up: the old application is back, so the contract file waits, and nothing runs.
    const version = async () => (await db.query<{ version: string }>('SELECT version::text FROM schema_migrations'))[0]!.version;
    const at = await version();
    const again = await startOldApp(db.url, OLD_WRITES);
    const blocked = await runCli(['up', '-d', migrations, ...url, ...QUIET]);
    expect(blocked.code, blocked.stderr).toBe(3);
    expect(blocked.stderr).toContain(`before ${contractFile}`);
    expect(blocked.stderr).toContain('a write arrived through it');
    expect(await version()).toBe(at);
    await again.stop();

    await sleep(QUIET_MS + 300);
    const ran = await runCli(['up', '-d', migrations, ...url, ...QUIET]);
    expect(ran.code, ran.stderr).toBe(0);
    const columns = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' ORDER BY 1");
    expect(columns.map((c) => c.column_name)).not.toContain('note');
    expect(await db.query("SELECT count(*)::int AS n FROM pgshift_contract_usage")).toEqual([{ n: 0 }]);
  }, 180_000);
});
