/**
 * Issue #15, type swaps: the swap keeps the column's name, so the gate is the data proof. While a row's
 * shadow value differs from the converted old value, or the sync trigger is disabled or gone,
 * `gen diff --contract --database-url` and `pgshift up` refuse (exit 3, with sample keys); check and
 * status say what was verified; once proven the contract is written and runs; --force-contract goes
 * past a failed proof and is recorded.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const BEFORE = 'test/fixtures/evolve/before.ts';
const AFTER = 'test/fixtures/evolve/integer-to-bigint.ts';
const ID = 'alter-column-type:public.accounts.score';
const SHADOW = 'score__pgshift_new';
const TRIGGER = 'pgshift_copy_accounts_score';

describe('contract gate: a type swap is gated on its data', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_type_swap_gate');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-type-swap-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses while a shadow value differs or the sync trigger is off; writes and runs once proven; --force-contract is recorded', async () => {
    const migrations = join(dir, 'migrations');
    const url = ['--database-url', db.url];
    expect((await runCli(['gen', 'diff', 'init', '-c', BEFORE, '-d', migrations, '--create-dir'])).code).toBe(0);
    expect((await runCli(['up', '-d', migrations, ...url])).code).toBe(0);
    await db.query("INSERT INTO accounts (id, name, score) SELECT g, 'a' || g, g FROM generate_series(1, 50) g");
    const expand = await runCli(['gen', 'diff', '-c', AFTER, '-d', migrations, ...url]);
    expect(expand.code, expand.stderr).toBe(0);
    expect((await runCli(['up', '-d', migrations, ...url])).code).toBe(0);
    const files = () => readdirSync(migrations).sort();

    // A shadow value someone wrote by hand (the trigger fires on writes of score only).
    await db.query(`UPDATE accounts SET ${SHADOW} = 999 WHERE id IN (7, 3)`);
    const before = files();
    const refused = await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...url]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain(`${ID}: type of column public.accounts.score — the swap keeps the column's name`);
    expect(refused.stderr).toContain(`2 rows whose ${SHADOW} differs from "score"::bigint (keys 3, 7)`);
    expect(refused.stderr).toContain('--force-contract');
    expect(files(), 'nothing written').toEqual(before);
    const status = await runCli(['status', '-d', migrations, ...url]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('not proven: 2 rows whose');

    // The rows fixed, the trigger disabled: still not proven.
    await db.query(`UPDATE accounts SET ${SHADOW} = score`);
    await db.query(`ALTER TABLE accounts DISABLE TRIGGER ${TRIGGER}`);
    const disabled = await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...url]);
    expect(disabled.code, disabled.stderr).toBe(3);
    expect(disabled.stderr).toContain(`the sync trigger ${TRIGGER} is disabled`);
    await db.query(`ALTER TABLE accounts ENABLE TRIGGER ${TRIGGER}`);

    // Proven: written, with what was verified in its header; check says the same.
    const check = await runCli(['check', '-c', AFTER, '-d', migrations, ...url]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain(`verified by data: every row's ${SHADOW} equals "score"::bigint; sync trigger ${TRIGGER} enabled`);
    const written = await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...url]);
    expect(written.code, written.stderr).toBe(0);
    const contractFile = files().find((f) => /swap_accounts_score_type\.up\.sql$/.test(f))!;
    const text = readFileSync(join(migrations, contractFile), 'utf8');
    expect(text).toContain(`-- pgshift:contract ${ID}\n`);
    expect(text).toContain(`verified by data: every row's ${SHADOW} equals "score"::bigint`);
    expect(text, 'a type swap has no old shape to guard').not.toContain('DO $pgshift_guard$');

    // At up the proof runs again, right before the file: a differing row refuses it, nothing runs.
    await db.query(`UPDATE accounts SET ${SHADOW} = -1 WHERE id = 5`);
    const blocked = await runCli(['up', '-d', migrations, ...url]);
    expect(blocked.code, blocked.stderr).toBe(3);
    expect(blocked.stderr).toContain(`before ${contractFile}`);
    expect(blocked.stderr).toContain('1 row whose');
    const type = async () => (await db.query<{ t: string }>("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'score'"))[0]!.t;
    expect(await type()).toBe('integer');
    const forced = await runCli(['up', '-d', migrations, ...url, '--force-contract']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(`${forced.stdout}${forced.stderr}`).toContain('--force-contract: running');
    expect(await type()).toBe('bigint');
    expect(await db.query('SELECT score::text AS s FROM accounts WHERE id = 5')).toEqual([{ s: '-1' }]);
  }, 180_000);
});
