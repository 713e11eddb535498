/**
 * The CLI on a live database with a view no entity describes over a column the entities retype
 * (integer → bigint, expand → contract): `gen diff` exits 3 naming the view and --recreate-views and
 * writes nothing; with the flag the expand leaves the view working, `check` exits 0 while the contract
 * is pending, and the contract re-creates the view around its swap (from pg_get_viewdef).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

describe('a view no entity describes, in the way of a type change', () => {
  let db: TestDatabase | undefined;
  let dir = '';
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    db = undefined;
  });

  it('refused with exit 3 and the flag; with --recreate-views expand, check and contract go through', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-cli-'));
    db = await createTestDatabase('pgshift_cli');
    const before = ['-c', 'test/fixtures/evolve/before.ts', '-d', dir];
    const after = ['-c', 'test/fixtures/evolve/integer-to-bigint.ts', '-d', dir];
    expect((await runCli(['gen', 'diff', 'init', ...before])).code).toBe(0);
    expect((await runCli(['up', '-d', dir, '--database-url', db.url])).code).toBe(0);
    await db.query(`INSERT INTO accounts (name, score) SELECT 'n' || i, i FROM generate_series(1, 50) i`);
    await db.query('CREATE VIEW score_report AS SELECT id, score FROM accounts WHERE score > 10');

    const files = readdirSync(dir).sort();
    const refused = await runCli(['gen', 'diff', ...after, '--database-url', db.url]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('view score_report, which no entity describes, reads what this plan changes');
    expect(refused.stderr).toContain('Add: --recreate-views');
    expect(readdirSync(dir).sort()).toEqual(files);

    const expand = await runCli(['gen', 'diff', ...after, '--database-url', db.url, '--recreate-views']);
    expect(expand.code, expand.stderr).toBe(0);
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM score_report')).toEqual([{ n: 40 }]);
    const check = await runCli(['check', ...after, '--database-url', db.url]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('Pending contract steps (1)');

    const contract = await runCli(['gen', 'diff', '--contract', ...after, '--force-contract']);
    expect(contract.code, contract.stderr).toBe(0);
    const finish = await runCli(['up', '-d', dir, '--database-url', db.url, '--force-contract']);
    expect(finish.code, finish.stderr).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM score_report')).toEqual([{ n: 40 }]);
    expect(await db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'score_report' AND column_name = 'score'")).toEqual([{ data_type: 'bigint' }]);
    const final = await runCli(['check', ...after, '--database-url', db.url]);
    expect(final.code, final.stdout + final.stderr).toBe(0);
    expect(final.stdout).toContain('Not managed by any entity');
  });
});
