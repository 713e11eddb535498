/**
 * golang-migrate's contract on the database, step by step: schema_migrations after up, down, goto,
 * force and a failure; dirty refusal; what a run with nothing to do writes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { forceVersion, migrate, migrationStatus, databaseVersion } from '../../src/runner/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrationsFolder, runnerOptions, tableNames, versionRows, writeAbc, type MigrationsFolder } from './helpers';

describe('schema_migrations contract', () => {
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

  it('up, down N, goto, down all write what golang-migrate writes', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);

    const up = await migrate(options, { kind: 'up', limit: null });
    expect(up.steps.map((s) => s.version)).toEqual([1, 2, 3]);
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);
    expect(await tableNames(db)).toEqual(['a', 'b', 'c']);

    const down = await migrate(options, { kind: 'down', limit: 1 });
    expect(down.steps.map((s) => [s.version, s.direction])).toEqual([[3, 'down']]);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    expect(await tableNames(db)).toEqual(['a', 'b']);

    await migrate(options, { kind: 'goto', version: 1 });
    expect(await versionRows(db)).toEqual([{ version: 1, dirty: false }]);
    await migrate(options, { kind: 'goto', version: 3 });
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);

    // Down past the first migration: no row at all (golang-migrate's -1 is never left clean).
    const all = await migrate(options, { kind: 'down', limit: null });
    expect(all.steps.map((s) => s.version)).toEqual([3, 2, 1]);
    expect(await versionRows(db)).toEqual([]);
    expect(await tableNames(db)).toEqual([]);
    expect(await databaseVersion(options)).toEqual({ version: -1, dirty: false });
  });

  it('up N applies N; asking for more than pending reports the shortfall', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    expect((await migrate(options, { kind: 'up', limit: 2 })).steps.map((s) => s.version)).toEqual([1, 2]);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    const more = await migrate(options, { kind: 'up', limit: 5 });
    expect(more.steps.map((s) => s.version)).toEqual([3]);
    expect(more.shortBy).toBe(4);
  });

  it('a run with nothing to do writes nothing', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: null });
    // A row golang-migrate would never write: if pgshift re-wrote the version, it would disappear.
    await db.query('ALTER TABLE schema_migrations ADD COLUMN marker int DEFAULT 7');
    await db.query('UPDATE schema_migrations SET marker = 8');
    const again = await migrate(options, { kind: 'up', limit: null });
    expect(again.steps).toEqual([]);
    expect(await db.query('SELECT version::int, dirty, marker FROM schema_migrations')).toEqual([{ version: 3, dirty: false, marker: 8 }]);
  });

  it('a failing up is rolled back with its version: clean at V-1, and the fixed file runs next time', async () => {
    writeAbc(folder);
    folder.write(4, 'broken', 'CREATE TABLE d (id int);\nINSERT INTO d VALUES (1);\nSELEC 1;', 'DROP TABLE d;');
    const options = runnerOptions(db, folder);
    const failure = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PgshiftError);
    expect((failure as PgshiftError).code).toBe('MIGRATION_FAILED');
    expect((failure as PgshiftError).message).toMatch(/000004_broken\.up\.sql failed \(line 3\): syntax error at or near "SELEC"/);
    expect((failure as PgshiftError).hint).toMatch(/rolled back: the database is still at version 3, not dirty/);
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);
    // One transaction: the CREATE TABLE before the failure is gone too, and no checksum was recorded.
    expect(await tableNames(db)).toEqual(['a', 'b', 'c']);
    expect(await db.query('SELECT version::int FROM pgshift_migrations ORDER BY 1')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    expect((await migrationStatus(options)).entries.map((e) => `${e.version}:${e.state}`)).toEqual(['1:applied', '2:applied', '3:applied', '4:pending']);

    folder.write(4, 'broken', 'CREATE TABLE d (id int);', 'DROP TABLE d;');
    await migrate(options, { kind: 'up', limit: null });
    expect(await versionRows(db)).toEqual([{ version: 4, dirty: false }]);
  });

  it('a dirty version with no record of what ran (golang-migrate\'s) is refused with both versions to force; force clears it', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: 2 });
    await db.query('TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (3, true)'); // golang-migrate, killed in 3
    const refused = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((refused as PgshiftError).code).toBe('DIRTY');
    expect((refused as PgshiftError).message).toMatch(/Dirty database version 3: the interrupted run left no record of the file it was running/);
    expect((refused as PgshiftError).hint).toMatch(/took full effect, run `pgshift force 3` \(version 3\); if it took none .*run `pgshift force 2` \(version 2\)/);
    // down is refused the same way
    expect(((await migrate(options, { kind: 'down', limit: 1 }).catch((e: unknown) => e)) as PgshiftError).code).toBe('DIRTY');
    await forceVersion(options, 2);
    await migrate(options, { kind: 'up', limit: null });
    expect(await versionRows(db)).toEqual([{ version: 3, dirty: false }]);
  });

  it('a failing down is rolled back with its version; golang-migrate\'s (-1, dirty) is refused naming force -1', async () => {
    folder.write(1, 'a', 'CREATE TABLE a (id int);', 'SELECT 1/0;');
    folder.write(2, 'b', 'CREATE TABLE b (id int);', 'SELECT 1/0;');
    const options = runnerOptions(db, folder);
    await migrate(options, { kind: 'up', limit: null });
    await migrate(options, { kind: 'down', limit: 1 }).catch(() => undefined);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    await db.query('TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (-1, true)');
    const refused = await migrate(options, { kind: 'up', limit: null }).catch((e: unknown) => e);
    expect((refused as PgshiftError).message).toMatch(/Dirty database version none \(-1\): the down of the first migration \(1\) was interrupted/);
    expect((refused as PgshiftError).hint).toMatch(/pgshift force -1/);
    await forceVersion(options, -1);
    expect(await versionRows(db)).toEqual([]);
  });

  it('force writes exactly one clean row and needs no file for the version', async () => {
    writeAbc(folder);
    const options = runnerOptions(db, folder);
    expect((await forceVersion(options, 2)).inFolder).toBe(true);
    expect(await versionRows(db)).toEqual([{ version: 2, dirty: false }]);
    expect((await forceVersion(options, 99)).inFolder).toBe(false);
    expect(await versionRows(db)).toEqual([{ version: 99, dirty: false }]);
    await expect(forceVersion(options, -2)).rejects.toThrow(/invalid version/);
  });

  it('creates schema_migrations in current_schema() with golang-migrate\'s definition', async () => {
    await db.query('CREATE SCHEMA app; ALTER DATABASE "' + db.name + '" SET search_path = app');
    writeAbc(folder);
    await migrate(runnerOptions(db, folder), { kind: 'up', limit: 1 });
    const columns = await db.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'app' AND table_name = 'schema_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'version', data_type: 'bigint', is_nullable: 'NO' },
      { column_name: 'dirty', data_type: 'boolean', is_nullable: 'NO' },
    ]);
    const pk = await db.query(`SELECT 1 FROM pg_constraint WHERE conrelid = 'app.schema_migrations'::regclass AND contype = 'p'`);
    expect(pk).toHaveLength(1);
    expect(await db.query("SELECT version::int FROM app.schema_migrations")).toEqual([{ version: 1 }]);
  });

  it('refuses a goto to a version that has no file', async () => {
    writeAbc(folder);
    await expect(migrate(runnerOptions(db, folder), { kind: 'goto', version: 7 })).rejects.toThrow(/no migration with version 7/);
  });
});
