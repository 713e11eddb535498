/** `gen diff --contract --fleet`: refused, naming the targets, while any is behind the expand it finishes. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { runCli } from '../helpers/cli';

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
    const written = await runCli(['gen', 'diff', '--contract', '--fleet', inventory, '-c', config, '-d', migrations]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('Wrote 1 contract migration pair');
    expect(existsSync(join(migrations, 'pgshift-contract')), 'the emitted records are removed').toBe(false);
  }, 120_000);
});
