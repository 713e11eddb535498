/**
 * Live mode diffs against the database itself, so it refuses one whose version table says it is not
 * where the folder ends: dirty (a migration failed part way) or behind (files pending). Read through
 * the one version-table module (src/db/version-table.ts) the runner uses too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const CONFIG = 'test/fixtures/basic/ormconfig.ts';
const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

describe('gen diff --database-url on a database not at the folder’s end', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_live_state');
    dir = mkdtempSync(join(tmpdir(), 'pgshift-live-state-'));
    const init = await runCli(['gen', 'diff', 'init', '-c', CONFIG, '-d', dir]);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const genDiffLive = () => runCli(['gen', 'diff', '--dry-run', '-c', CONFIG, '-d', dir, '--database-url', db.url]);

  it('refuses a database with no version table while the folder has files, naming what is pending', async () => {
    const result = await genDiffLive();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/at version none but the migrations folder goes to \d+ \(\d+ pending\)/);
    expect(result.stderr).toMatch(/\nhint: apply the pending migrations first/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('refuses a dirty database, then diffs once it is clean at the end', async () => {
    const up = await runCli(['up', '-d', dir, '--database-url', db.url]);
    expect(up.code, up.stderr).toBe(0);
    const client = await db.connect();
    try {
      const { rows } = await client.query<{ version: string }>('SELECT version::text AS version FROM schema_migrations');
      const version = rows[0]!.version;
      await client.query('UPDATE schema_migrations SET dirty = true');
      const dirty = await genDiffLive();
      expect(dirty.code).toBe(1);
      expect(dirty.stderr).toMatch(new RegExp(`the database is dirty at version ${version}`));
      expect(dirty.stderr).not.toMatch(STACK);
      await client.query('UPDATE schema_migrations SET dirty = false');
    } finally {
      await client.end();
    }
    const clean = await genDiffLive();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/No changes/);
  });
});
