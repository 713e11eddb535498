/**
 * A database migrated by pgshift has the same schema_migrations as one migrated the way golang-migrate
 * does it (migrate.go runMigrations + the postgres driver): per file, SetVersion(target, dirty) as
 * TRUNCATE + INSERT in one transaction, the file's whole text as one simple query, SetVersion(target,
 * clean). And either tool can take over from the other.
 */
import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMigrationsDir } from '../../src/migrations-dir/files';
import { migrate } from '../../src/runner/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrationsFolder, runnerOptions, type MigrationsFolder } from './helpers';

/** golang-migrate's postgres driver, transcribed: what `migrate up` / `migrate down N` do on the wire. */
async function golangMigrateSetVersion(client: Client, version: number, dirty: boolean): Promise<void> {
  await client.query('BEGIN');
  await client.query('TRUNCATE "public"."schema_migrations"');
  if (version >= 0 || (version === -1 && dirty)) {
    await client.query('INSERT INTO "public"."schema_migrations" (version, dirty) VALUES ($1, $2)', [version, dirty]);
  }
  await client.query('COMMIT');
}

async function golangMigrateRun(client: Client, dir: string, direction: 'up' | 'down', count: number): Promise<void> {
  await client.query('CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)');
  const migrations = readMigrationsDir(dir);
  const { rows } = await client.query<{ version: string }>('SELECT version::text FROM "public"."schema_migrations" LIMIT 1');
  let current = rows[0] ? Number(rows[0].version) : -1;
  for (let n = 0; n < count; n++) {
    const index = migrations.findIndex((m) => m.version === current);
    if (direction === 'up') {
      const next = migrations[index + 1];
      if (!next) return;
      await golangMigrateSetVersion(client, next.version, true);
      await client.query(readFileSync(next.up!.path, 'utf8'));
      await golangMigrateSetVersion(client, next.version, false);
      current = next.version;
    } else {
      if (index < 0) return;
      const target = index > 0 ? migrations[index - 1]!.version : -1;
      await golangMigrateSetVersion(client, target, true);
      await client.query(readFileSync(migrations[index]!.down!.path, 'utf8'));
      await golangMigrateSetVersion(client, target, false);
      current = target;
    }
  }
}

async function snapshot(db: TestDatabase): Promise<unknown> {
  return {
    schemaMigrations: await db.query('SELECT version::text, dirty FROM schema_migrations ORDER BY version'),
    tables: (await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgshift_migrations' ORDER BY 1")).map((r) => r.tablename),
    indexes: (await db.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'pgshift_migrations' ORDER BY 1")),
    rows: await db.query('SELECT * FROM widgets ORDER BY id').catch(() => null),
  };
}

describe('parity with golang-migrate', () => {
  let ours: TestDatabase;
  let theirs: TestDatabase;
  let folder: MigrationsFolder;
  let client: Client;
  beforeEach(async () => {
    [ours, theirs] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    client = await theirs.connect();
    folder = migrationsFolder();
    folder.write(1, 'widgets', "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\nCREATE TABLE widgets (id int primary key, name text);\nINSERT INTO widgets VALUES (1, 'a;b'), (2, $$it's$$);", 'DROP TABLE widgets;');
    folder.write(2, 'widgets_name_idx', 'CREATE INDEX CONCURRENTLY widgets_name_idx ON widgets (name);', 'DROP INDEX CONCURRENTLY widgets_name_idx;');
    folder.write(3, 'fn', "CREATE FUNCTION widget_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM widgets; $$;\nCOMMENT ON TABLE widgets IS 'x';", 'DROP FUNCTION widget_count();');
    folder.write(20240101120000, 'timestamped', 'ALTER TABLE widgets ADD COLUMN note text;', 'ALTER TABLE widgets DROP COLUMN note;');
  });
  afterEach(async () => {
    await client.end();
    await Promise.all([ours.drop(), theirs.drop()]);
    folder.remove();
  });

  it('up, down 1, down all leave identical schema_migrations and schema', async () => {
    const options = runnerOptions(ours, folder);
    await migrate(options, { kind: 'up', limit: null });
    await golangMigrateRun(client, folder.dir, 'up', 99);
    expect(await snapshot(ours)).toEqual(await snapshot(theirs));
    expect((await snapshot(ours) as { schemaMigrations: unknown }).schemaMigrations).toEqual([{ version: '20240101120000', dirty: false }]);

    await migrate(options, { kind: 'down', limit: 2 });
    await golangMigrateRun(client, folder.dir, 'down', 2);
    expect(await snapshot(ours)).toEqual(await snapshot(theirs));

    await migrate(options, { kind: 'down', limit: null });
    await golangMigrateRun(client, folder.dir, 'down', 99);
    expect(await snapshot(ours)).toEqual(await snapshot(theirs));
  });

  it('takes over a database golang-migrate migrated, and hands it back', async () => {
    await golangMigrateRun(client, folder.dir, 'up', 2);
    const options = runnerOptions(theirs, folder);
    const result = await migrate(options, { kind: 'up', limit: null });
    expect(result.steps.map((s) => s.version)).toEqual([3, 20240101120000]);
    await golangMigrateRun(client, folder.dir, 'down', 1);
    expect(await theirs.query('SELECT version::text, dirty FROM schema_migrations')).toEqual([{ version: '3', dirty: false }]);
    // pgshift_migrations still has a row for the version golang-migrate reverted: ignored, then overwritten.
    const again = await migrate(options, { kind: 'up', limit: null });
    expect(again.steps.map((s) => s.version)).toEqual([20240101120000]);
  });
});
