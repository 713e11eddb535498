/**
 * `gen diff --contract --fleet`: refused, naming the targets, while any is behind the expand it finishes,
 * and while any target's database shows the old shape in use (issue #15).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { runCli } from '../helpers/cli';
import { sleep, startOldApp } from '../contract-gate/old-app';

describe('gen diff --contract --fleet', () => {
  let dbs: TestDatabase[];
  let dir: string;
  beforeAll(async () => {
    dbs = await Promise.all([0, 1, 2].map(() => createTestDatabase('pgshift_contract_fleet')));
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contract-fleet-'));
  });
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the target still behind, writes nothing, and writes the contract once it has caught up', async () => {
    const migrations = join(dir, 'migrations');
    const config = 'test/fixtures/evolve/rename-column.ts';
    expect((await runCli(['gen', 'diff', 'init', '--create-dir', '-c', 'test/fixtures/evolve/before.ts', '-d', migrations])).code).toBe(0);
    const expand = await runCli(['gen', 'diff', '-c', config, '-d', migrations, '--rename', 'accounts.note=remark']);
    expect(expand.code, expand.stderr).toBe(0);
    const newest = readdirSync(migrations).filter((f) => f.endsWith('.up.sql')).length;
    expect(newest).toBeGreaterThan(2); // the expand and its backfill: the contract needs both
    const inventory = join(dir, 'fleet.txt');
    writeFileSync(inventory, dbs.map((db, i) => `db${i} ${db.url}`).join('\n'));
    // db1 has the expand file but not its backfill yet.
    for (const [i, db] of dbs.entries()) {
      const up = await runCli(['up', ...(i === 1 ? ['2'] : []), '-d', migrations, '--database-url', db.url]);
      expect(up.code, up.stderr).toBe(0);
    }
    const files = () => readdirSync(migrations).sort();
    const before = files();
    const refused = await runCli(['gen', 'diff', '--contract', '--fleet', inventory, '-c', config, '-d', migrations]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`1 of 3 targets are behind version ${newest}, the expand this contract finishes: db1 (at 2)`);
    expect(refused.stderr).toContain('hint:');
    expect(files()).toEqual(before);

    expect((await runCli(['up', '-d', migrations, '--database-url', dbs[1]!.url])).code).toBe(0);
    // Every target has the expand now, but db2's old application still writes through the old column.
    await dbs[2]!.query("INSERT INTO accounts (id, name, note) VALUES (1, 'a', 'old')");
    const app = await startOldApp(dbs[2]!.url, ["UPDATE accounts SET note = 'old app $i' WHERE id = 1"]);
    await sleep(3300);
    const quiet = ['--quiet-for', '3s'];
    const inUse = await runCli(['gen', 'diff', '--contract', '--fleet', inventory, '-c', config, '-d', migrations, ...quiet]);
    expect(inUse.code, inUse.stderr).toBe(3);
    expect(inUse.stderr).toContain('still in use within the last 3s (db2)');
    expect(inUse.stderr).toContain('in use: a write arrived through it');
    expect(files()).toEqual(before);
    await app.stop();
    await sleep(3300);
    const written = await runCli(['gen', 'diff', '--contract', '--fleet', inventory, '-c', config, '-d', migrations, ...quiet]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('Wrote 1 contract migration pair');
    const contract = readdirSync(migrations).find((f) => /after_rename\.up\.sql$/.test(f))!;
    expect(readFileSync(join(migrations, contract), 'utf8')).toContain('-- Evidence: rename-column:public.accounts.note on 3 targets: 3 quiet for 3s');
    expect(existsSync(join(migrations, 'pgshift-contract')), 'the emitted records are removed').toBe(false);
  }, 120_000);
});
