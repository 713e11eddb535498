/**
 * Issue #15, allowed drops: `gen diff --allow-destructive` for a column of a table that stays writes an
 * expand that watches the column and records the drop as a pending contract. While an old application
 * still sets the column, `gen diff --contract --database-url` refuses (exit 3, the evidence); once it
 * stopped and a (shortened) quiet period passed, the drop is written and `pgshift up` runs it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { sleep, startOldApp } from './old-app';

const BEFORE = 'test/fixtures/evolve/before.ts';
const AFTER = 'test/fixtures/evolve/drop-column.ts';
const QUIET = ['--quiet-for', '2s'];
const QUIET_MS = 2000;
const ID = 'drop-column:public.accounts.note';

describe('contract gate: an allowed column drop', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_drop_gate');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-drop-gate-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('watches the column from the expand; the drop waits while an old application sets it', async () => {
    const migrations = join(dir, 'migrations');
    const url = ['--database-url', db.url];
    expect((await runCli(['gen', 'diff', 'init', '-c', BEFORE, '-d', migrations, '--create-dir'])).code).toBe(0);
    expect((await runCli(['up', '-d', migrations, ...url])).code).toBe(0);
    await db.query("INSERT INTO accounts (id, name, note) VALUES (1, 'a', 'kept until the drop')");
    const expand = await runCli(['gen', 'diff', '-c', AFTER, '-d', migrations, ...url, '--allow-destructive']);
    expect(expand.code, expand.stderr).toBe(0);
    const files = () => readdirSync(migrations).sort();
    expect(files().filter((f) => f.endsWith('.up.sql')).map((f) => readFileSync(join(migrations, f), 'utf8')).join('\n')).not.toMatch(/DROP COLUMN "note"/);
    expect((await runCli(['up', '-d', migrations, ...url])).code).toBe(0);
    expect(await db.query("SELECT note FROM accounts WHERE id = 1")).toEqual([{ note: 'kept until the drop' }]);

    const app = await startOldApp(db.url, ["UPDATE accounts SET note = 'old app $i' WHERE id = 1"]);
    await sleep(QUIET_MS + 300);
    const before = files();
    const refused = await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...url, ...QUIET]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain(`${ID}: old shape column public.accounts.note`);
    expect(refused.stderr).toContain('in use: a write arrived through it');
    expect(files(), 'nothing written').toEqual(before);
    await app.stop();
    // New code leaves the column out: never counted.
    await db.query("INSERT INTO accounts (id, name) VALUES (2, 'b')");

    await sleep(QUIET_MS + 300);
    const written = await runCli(['gen', 'diff', '--contract', '-c', AFTER, '-d', migrations, ...url, ...QUIET]);
    expect(written.code, written.stderr).toBe(0);
    const dropFile = files().find((f) => f.endsWith('.up.sql') && readFileSync(join(migrations, f), 'utf8').includes(`-- pgshift:contract ${ID}`))!;
    expect(readFileSync(join(migrations, dropFile), 'utf8')).toContain('DO $pgshift_guard$');
    const ran = await runCli(['up', '-d', migrations, ...url, ...QUIET]);
    expect(ran.code, ran.stderr).toBe(0);
    const columns = await db.query<{ c: string }>("SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'accounts'");
    expect(columns.map((r) => r.c)).not.toContain('note');
    expect((await runCli(['check', '-c', AFTER, '-d', migrations, ...url])).code).toBe(0);
  }, 180_000);
});
