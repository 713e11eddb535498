/**
 * Data checks end to end, through the built CLI on a real database: `gen diff --database-url` refuses a
 * plan today's rows would break (exit 3, naming --skip-data-checks, nothing written), and `up` refuses
 * the step right before it runs (exit 1, counts and sample keys, version unchanged and not dirty, no
 * lock taken), then runs it once the rows are fixed. A narrowing with no row at risk needs no flag in
 * live mode (and keeps its check); `status` shows the checks of pending files with today's counts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const fixture = (name: string) => ['-c', `test/fixtures/evolve/${name}.ts`];

describe('data checks before any lock', () => {
  let db: TestDatabase;
  let dir = '';
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-checks-'));
    db = await createTestDatabase('pgshift_checks_cli');
    expect((await runCli(['gen', 'diff', 'init', ...fixture('before'), '-d', dir])).code).toBe(0);
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    await db.query("INSERT INTO accounts (name, note) SELECT 'n' || i, 'x' FROM generate_series(1, 200) i");
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  const version = async () => (await db.query<{ version: string; dirty: boolean }>('SELECT version::text, dirty FROM schema_migrations'))[0];

  it('duplicates before a unique index: refused at plan time, and by up before the build', async () => {
    await db.query("UPDATE accounts SET name = 'same' WHERE id IN (3, 4, 5)");
    const files = readdirSync(dir).length;
    const gen = await runCli(['gen', 'diff', ...fixture('add-unique'), '-d', dir, '--database-url', db.url]);
    expect(gen.code, gen.stderr).toBe(3);
    expect(gen.stderr).toContain('1 value of ("name") occur more than once (3 rows), e.g. same ×3');
    expect(gen.stderr).toContain('--skip-data-checks');
    expect(gen.stderr).toContain('Nothing was written.');
    expect(readdirSync(dir)).toHaveLength(files);

    const skipped = await runCli(['gen', 'diff', ...fixture('add-unique'), '-d', dir, '--database-url', db.url, '--skip-data-checks']);
    expect(skipped.code, skipped.stderr).toBe(0);
    const build = readdirSync(dir).find((f) => /_index\.up\.sql$/.test(f))!;
    expect(readFileSync(join(dir, build), 'utf8')).toMatch(/^-- pgshift precheck: \{"kind":"unique"/m);

    const refused = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${build} was not run: accounts: 1 value of ("name") occur more than once (3 rows), e.g. same ×3`);
    expect(refused.stderr).toContain('the version is unchanged');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await version()).toEqual({ version: '1', dirty: false });
    expect(await db.query("SELECT indexrelid FROM pg_index WHERE indrelid = 'accounts'::regclass AND NOT indisprimary")).toEqual([]);

    await db.query("UPDATE accounts SET name = 'other' || id WHERE id IN (4, 5)");
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('checked: no duplicate ("name") in accounts');
  });

  it('NULLs before SET NOT NULL: refused at plan time with the keys; a --backfill plan is not', async () => {
    await db.query('UPDATE accounts SET note = NULL WHERE id IN (7, 9)');
    const gen = await runCli(['gen', 'diff', ...fixture('set-not-null'), '-d', dir, '--database-url', db.url]);
    expect(gen.code, gen.stderr).toBe(3);
    expect(gen.stderr).toContain('accounts.note: 2 rows hold NULL, e.g. id 7; id 9');
    const filled = await runCli(['gen', 'diff', ...fixture('set-not-null'), '-d', dir, '--database-url', db.url, '--backfill', "accounts.note='-'"]);
    expect(filled.code, filled.stderr).toBe(0);
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM accounts WHERE note IS NULL')).toEqual([{ n: 0 }]);
  });

  it('orphans before a foreign key: up refuses the ADD … NOT VALID before its lock, then goes on once fixed', async () => {
    const gen = await runCli(['gen', 'diff', ...fixture('add-fk'), '-d', dir, '--database-url', db.url]);
    expect(gen.code, gen.stderr).toBe(0);
    expect((await runCli(['up', '1', '-d', dir, '--database-url', db.url])).code).toBe(0);
    await db.query("INSERT INTO owners (id, label) VALUES (1, 'o')");
    await db.query('UPDATE accounts SET owner_id = CASE WHEN id < 5 THEN 42 ELSE 1 END');
    const refused = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/accounts \(owner_id\): 4 rows point at no owners row, e\.g\. id 1 → 42; id 2 → 42; id 3 → 42; id 4 → 42/);
    expect(await db.query("SELECT conname FROM pg_constraint WHERE contype = 'f'")).toEqual([]);
    await db.query('UPDATE accounts SET owner_id = NULL WHERE owner_id = 42');
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect(await version()).toMatchObject({ dirty: false });
  });

  it('narrowing: the refusal counts the rows at risk with sample keys, not a false claim', async () => {
    const gen = await runCli(['gen', 'diff', ...fixture('narrow-varchar'), '-d', dir, '--database-url', db.url]);
    expect(gen.code).toBe(3);
    // 'n100' … 'n200' do not fit in varchar(3).
    expect(gen.stderr).toContain('101 rows would be changed by the conversion (rounded or shortened), e.g. id 100 = n100');
    expect(gen.stderr).toContain('--allow-destructive');
  });
  const constraint = async () => (await db.query<{ convalidated: boolean }>("SELECT convalidated FROM pg_constraint WHERE conrelid = 'accounts'::regclass AND contype = 'c'"));

  it('a CHECK: violating rows refused at plan time, by up before the ADD and before the VALIDATE; status shows it coming', async () => {
    await db.query('UPDATE accounts SET score = -1 WHERE id IN (3, 8)');
    const violation = /accounts: 2 rows violate \S+ \("score" >= 0\), e\.g\. id 3; id 8: the check cannot be validated/;
    const gen = await runCli(['gen', 'diff', ...fixture('add-check'), '-d', dir, '--database-url', db.url]);
    expect(gen.code, gen.stderr).toBe(3);
    expect(gen.stderr).toMatch(violation);
    expect(gen.stderr).toContain('Nothing was written.');
    expect((await runCli(['gen', 'diff', ...fixture('add-check'), '-d', dir, '--database-url', db.url, '--skip-data-checks'])).code).toBe(0);

    const status = await runCli(['status', '-d', dir, '--database-url', db.url]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Data checks of pending files');
    expect(status.stdout.match(/up would refuse: accounts: 2 rows violate/g)).toHaveLength(2); // the ADD's file and the VALIDATE's

    const refused = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(violation);
    expect(refused.stderr).toContain('was not run');
    expect(await version()).toEqual({ version: '1', dirty: false });
    expect(await constraint()).toEqual([]);

    // Past the ADD unchecked: the VALIDATE is refused before its lock, at the ADD's version.
    expect((await runCli(['up', '1', '-d', dir, '--database-url', db.url, '--skip-data-checks'])).code).toBe(0);
    const validate = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/_validate_\S+\.up\.sql was not run: accounts: 2 rows violate/);
    expect(await version()).toEqual({ version: '2', dirty: false });
    expect(await constraint()).toEqual([{ convalidated: false }]);

    await db.query('UPDATE accounts SET score = 0 WHERE score < 0');
    expect((await runCli(['status', '-d', dir, '--database-url', db.url])).stdout).toMatch(/every accounts row satisfies \S+ \("score" >= 0\): holds now/);
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect(await constraint()).toEqual([{ convalidated: true }]);
  });

  it('status lists later pending checks on data an earlier pending file changes without counting them', async () => {
    expect((await runCli(['gen', 'diff', ...fixture('integer-to-bigint'), '-d', dir, '--database-url', db.url])).code).toBe(0);
    const status = await runCli(['status', '-d', dir, '--database-url', db.url]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/no NULL in accounts\.\S+__pgshift_new: counted by up when it gets there/);
    expect(status.stdout).not.toContain('up would refuse');
  });

  it('narrowing with no row at risk (live mode): planned without --allow-destructive, keeping its check; shadow mode still asks', async () => {
    await db.query("UPDATE accounts SET name = 'n' || (id % 100)");
    const shadow = await runCli(['gen', 'diff', ...fixture('narrow-varchar'), '-d', dir]);
    expect(shadow.code).toBe(3);
    expect(shadow.stderr).toContain('--allow-destructive');

    const gen = await runCli(['gen', 'diff', ...fixture('narrow-varchar'), '-d', dir, '--database-url', db.url]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toMatch(/accounts\.name → \S+: no row in the database holds a value the new type would change or reject, so no --allow-destructive is needed/);
    const expand = readdirSync(dir).find((f) => /^000002_.*\.up\.sql$/.test(f))!;
    const header = readFileSync(join(dir, expand), 'utf8');
    expect(header).toMatch(/^-- pgshift precheck: \{"kind":"narrowing".*"changesAccepted":false\}$/m);
    expect(header).toContain('no --allow-destructive needed');

    await db.query("INSERT INTO accounts (name) VALUES ('toolong')");
    const refused = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/accounts\.name → \S+: 1 row would be changed by the conversion \(rounded or shortened\), e\.g\. id \d+ = toolong/);
    expect(await version()).toEqual({ version: '1', dirty: false });
    await db.query("DELETE FROM accounts WHERE name = 'toolong'");
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
  });

  it('down offers no --skip-data-checks (down files carry no data checks); up and goto do', async () => {
    const down = await runCli(['down', '1', '--skip-data-checks', '-d', dir, '--database-url', db.url]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("unknown option '--skip-data-checks'");
    expect(await version()).toEqual({ version: '1', dirty: false });
    const help = async (command: string) => (await runCli([command, '--help'])).stdout;
    expect(await help('down')).not.toMatch(/^\s+--(skip-data-checks|force-contract|quiet-for)\b/m);
    for (const command of ['up', 'goto']) expect(await help(command)).toContain('--skip-data-checks');
  });
});
