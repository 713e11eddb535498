/**
 * Edited and missing applied migrations: pgshift_migrations records each applied up file's sha256;
 * status reports edits and missing files; up refuses them unless allowEdited. Also runMigrations from code.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { runMigrations } from '../../src/index';
import { checksumOf } from '../../src/runner/checksum';
import { migrate, migrationStatus } from '../../src/runner/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrationsFolder, runnerOptions, versionRows, writeAbc, type MigrationsFolder } from './helpers';

describe('checksums', () => {
  let db: TestDatabase;
  let folder: MigrationsFolder;
  beforeEach(async () => {
    db = await createTestDatabase();
    folder = migrationsFolder();
  });
  afterEach(async () => {
    await db.drop();
    folder.remove();
  });

  const states = async (options: { databaseUrl: string; dir: string }) =>
    (await migrationStatus(options)).entries.map((e) => `${e.version}:${e.state}`);

  it('records sha256 of each applied up file and forgets it on down', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: null });
    const rows = await db.query<{ version: string; name: string; checksum: string; recent: boolean }>(
      "SELECT version::text, name, checksum, applied_at > now() - interval '1 minute' AS recent FROM pgshift_migrations ORDER BY version",
    );
    expect(rows.map((r) => [r.version, r.name, r.recent])).toEqual([
      ['1', '000001_create_a.up.sql', true], ['2', '000002_create_b.up.sql', true], ['3', '000003_create_c.up.sql', true],
    ]);
    expect(rows[1]!.checksum).toBe(checksumOf(Buffer.from('CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);')));
    await migrate(options, { kind: 'down', limit: 1 });
    expect((await db.query('SELECT version::int FROM pgshift_migrations ORDER BY 1')).map((r) => r.version)).toEqual([1, 2]);
    expect(await states(options)).toEqual(['1:applied', '2:applied', '3:pending']);
  });

  it('detects an edited applied file; up refuses unless allowEdited', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: 2 });
    folder.write(2, 'create_b', 'CREATE TABLE b (id bigint);', 'DROP TABLE b;');
    const status = await migrationStatus(options);
    expect(status.entries.map((e) => `${e.version}:${e.state}`)).toEqual(['1:applied', '2:edited', '3:pending']);
    expect(status.problems.map((p) => p.name)).toEqual(['000002_create_b.up.sql']);

    const refused = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((refused as PgshiftError).code).toBe('EDITED');
    expect((refused as PgshiftError).message).toMatch(/000002_create_b\.up\.sql was edited after it was applied/);
    expect((refused as PgshiftError).hint).toMatch(/--allow-edited/);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);

    const allowed = runnerOptions(db, folder, { allowEdited: true });
    await migrate(allowed, { kind: 'up', limit: null });
    expect(allowed.events.find((e) => e.kind === 'warning')).toMatchObject({ message: expect.stringMatching(/000002_create_b\.up\.sql was edited/) });
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);
  });

  it('detects a missing applied file, including the current version itself', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: null });
    unlinkSync(join(folder.dir, '000002_create_b.up.sql'));
    unlinkSync(join(folder.dir, '000002_create_b.down.sql'));
    unlinkSync(join(folder.dir, '000003_create_c.up.sql'));
    unlinkSync(join(folder.dir, '000003_create_c.down.sql'));
    expect(await states(options)).toEqual(['1:applied', '2:missing', '3:missing']);
    const refused = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((refused as PgshiftError).message).toMatch(/000002_create_b\.up\.sql is missing from the folder; 000003_create_c\.up\.sql is missing/);
  });

  it('a database migrated by golang-migrate (no checksum rows) shows "checksum unknown", not an error', async () => {
    writeAbc(folder);
    await db.query('CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, false)');
    await db.query('CREATE TABLE a (id int); CREATE TABLE b (id int);');
    const options = runnerOptions(db, folder);
    const status = await migrationStatus(options);
    expect(status.entries.map((e) => `${e.version}:${e.state}`)).toEqual(['1:checksum-unknown', '2:checksum-unknown', '3:pending']);
    expect(status.problems).toEqual([]);
    expect(status.lockHolder).toBeNull();
    await migrate(options, { kind: 'up', limit: null });
    expect(await states(options)).toEqual(['1:checksum-unknown', '2:checksum-unknown', '3:applied']);
  });

  it('status on an empty database creates nothing', async () => {
    writeAbc(folder);
    expect(await states(runnerOptions(db, folder))).toEqual(['1:pending', '2:pending', '3:pending']);
    expect(await db.query("SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);
  });

  it('runMigrations applies everything from code and returns the versions', async () => {
    writeAbc(folder);
    const lines: string[] = [];
    const versions = await runMigrations({ databaseUrl: db.url, dir: folder.dir, lockTimeout: '3s', log: (l) => lines.push(l) });
    expect(versions).toEqual([1, 2, 3]);
    expect(lines).toEqual([
      'applying 000001_create_a.up.sql', expect.stringMatching(/^applied 000001_create_a\.up\.sql in \d+/),
      'applying 000002_create_b.up.sql', expect.stringMatching(/^applied 000002_create_b\.up\.sql in/),
      'applying 000003_create_c.up.sql', expect.stringMatching(/^applied 000003_create_c\.up\.sql in/),
    ]);
    expect(await runMigrations({ databaseUrl: db.url, dir: folder.dir })).toEqual([]);
    folder.write(4, 'bad', 'SELECT nope;');
    await expect(runMigrations({ databaseUrl: db.url, dir: folder.dir })).rejects.toBeInstanceOf(PgshiftError);
    await expect(runMigrations({ databaseUrl: '', dir: folder.dir })).rejects.toThrow(/no database URL/);
  });
});
