/**
 * The whole product loop through the real CLI: generate with `gen diff`, apply with `pgshift up` on a
 * live database, and `check --database-url` agrees — for the plan shapes the runner must execute
 * differently (CONCURRENTLY alone outside a transaction, committing DO backfills, VALIDATE, ADD VALUE).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const CASES: ReadonlyArray<{ name: string; flags?: string[] }> = [
  { name: 'add-index' },
  { name: 'enum-add-value' },
  { name: 'set-not-null' },
  { name: 'add-required-column', flags: ['--backfill', 'accounts.region=left(name, 10)'] },
  { name: 'integer-to-bigint' },
];

describe('gen diff → pgshift up → check, on a live populated database', () => {
  let db: TestDatabase | undefined;
  let dir = '';
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    db = undefined;
  });

  it.each(CASES)('$name', async ({ name, flags = [] }) => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-e2e-'));
    db = await createTestDatabase('pgshift_e2e');
    const live = ['--database-url', db.url];
    const run = async (args: string[], code = 0) => {
      const result = await runCli(args);
      expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(code);
      return result;
    };
    await run(['gen', 'diff', 'init', '-c', 'test/fixtures/evolve/before.ts', '-d', dir, ...live]);
    await run(['up', '-d', dir, ...live]);
    await db.query(`INSERT INTO accounts (name, note) SELECT 'n' || i, 'note ' || i FROM generate_series(1, 2000) i`);
    const config = `test/fixtures/evolve/${name}.ts`;
    await run(['gen', 'diff', '-c', config, '-d', dir, ...live, ...flags]);
    await run(['up', '-d', dir, ...live]);
    await run(['check', '-c', config, '-d', dir, ...live]);
    const status = await run(['status', '-d', dir, ...live]);
    expect(status.stdout).not.toMatch(/ (pending|edited|missing)\b/);
    expect(status.stdout).toMatch(/ applied /);
  });
});
