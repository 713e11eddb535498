/**
 * `--backfill` and `--rename` through the real CLI (issue 9): a value that is not one SQL expression,
 * or a flag that matches no change the plan needs, exits 1 with one line naming the flag and a hint,
 * and the migrations folder is left exactly as it was. A quoted backfill value is kept exactly.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const BEFORE = 'test/fixtures/evolve/before.ts';
const AFTER = 'test/fixtures/evolve/add-required-column.ts';

function expectRefused(result: CliResult, message: RegExp, hint: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^hint: /);
  expect(lines[1]).toMatch(hint);
  expect(result.stdout).toBe('');
}

describe('decision flags on gen diff', () => {
  let db: TestDatabase;
  let dir: string;
  let live: string[];
  let folder: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-flags-'));
    db = await createTestDatabase('pgshift_flags');
    live = ['--database-url', db.url];
    const init = await runCli(['gen', 'diff', 'init', '-c', BEFORE, '-d', dir, ...live]);
    expect(init.code, init.stderr).toBe(0);
    const up = await runCli(['up', '-d', dir, ...live]);
    expect(up.code, up.stderr).toBe(0);
    await db.query("CREATE TABLE exchange_rates (id int PRIMARY KEY); INSERT INTO accounts (name) VALUES ('a'), ('b')");
    folder = readdirSync(dir).sort();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  const gen = (...flags: string[]) => runCli(['gen', 'diff', '-c', AFTER, '-d', dir, ...live, ...flags]);

  it.each([
    ["accounts.region='x'; DROP TABLE exchange_rates; --", /^error: --backfill accounts\.region='x'; DROP TABLE exchange_rates; --: not one SQL expression: syntax error at or near ";"$/],
    ["accounts.region='x') , (1", /not one SQL expression: it holds more than one expression$/],
    ["accounts.region='eu' -- the rest", /not one SQL expression: it holds a comment/],
    ["accounts.region='unbalanced", /not one SQL expression: unterminated quoted string/],
    ['accounts.region=$$open', /not one SQL expression: unterminated dollar-quoted string/],
    ["accounts.region='a\nb", /--backfill accounts\.region='a\\nb: not one SQL expression: unterminated quoted string at or near "'a\\nb"$/],
  ])('--backfill %j is not one expression: exit 1, nothing written', async (spec, message) => {
    expectRefused(await gen('--backfill', spec), message, /one SQL expression/);
    expect(readdirSync(dir).sort()).toEqual(folder);
    expect((await db.query('SELECT count(*)::int AS n FROM exchange_rates'))[0]).toEqual({ n: 0 });
  });

  it.each([
    [['--backfill', "accounts.regoin='eu'"], /--backfill accounts\.regoin='eu': matches no change: the entities have no column accounts\.regoin$/, /did you mean --backfill accounts\.region='eu'\?/],
    [['--backfill', "acounts.region='eu'"], /the entities have no table acounts$/, /did you mean --backfill accounts\.region='eu'\?/],
    [['--backfill', "accounts.region='eu'", '--backfill', "accounts.note='n'"], /--backfill accounts\.note='n': matches no change: accounts\.note is nullable in the entities/, /columns that take a --backfill value in this plan: accounts\.region/],
    [['--backfill', "accounts.region='eu'", '--backfill', 'accounts.name=1'], /accounts\.name is already NOT NULL in the database/, /accounts\.region/],
    [['--backfill', "accounts.region='eu'", '--rename', 'accounts.nte=remark'], /--rename accounts\.nte=remark: the database has no column accounts\.nte$/, /did you mean --rename accounts\.note=remark\b/],
    [['--backfill', "accounts.region='eu'", '--rename', 'accounts.note=remark'], /the entities have no column accounts\.remark, so nothing is renamed to it$/, /columns the entities add to accounts: region/],
    [['--backfill', "accounts.region='eu'", '--rename', 'acounts=clients'], /--rename acounts=clients: the database has no table acounts$/, /did you mean --rename accounts=clients\?/],
    [['--backfill', "accounts.region='eu'", '--rename', 'owners=people'], /the entities have no table people, so nothing is renamed to it$/, /there are no tables the entities add/],
  ])('%j matches no change: exit 1 with the closest names, nothing written', async (flags, message, hint) => {
    expectRefused(await gen(...flags), message, hint);
    expect(readdirSync(dir).sort()).toEqual(folder);
  });

  it('a flag given twice for one column is refused', async () => {
    expectRefused(await gen('--backfill', "accounts.region='eu'", '--backfill', "accounts.region='us'"), /accounts\.region is given a value twice/, /one --backfill per column/);
  });

  it("a backfill value with quotes is written as given and keeps its exact value", async () => {
    // region is varchar(10): ten characters of quote, comment markers, dollar and backslash.
    const value = "'it''s/*--$\\'";
    const result = await gen('--backfill', `accounts.region=${value}`);
    expect(result.code, result.stderr).toBe(0);
    const written = readdirSync(dir).filter((f) => !folder.includes(f) && f.endsWith('.up.sql'));
    expect(written.some((f) => readFileSync(join(dir, f), 'utf8').includes(value))).toBe(true);
    const up = await runCli(['up', '-d', dir, ...live]);
    expect(up.code, up.stderr).toBe(0);
    expect(await db.query('SELECT DISTINCT region FROM accounts')).toEqual([{ region: "it's/*--$\\" }]);
  });
});
