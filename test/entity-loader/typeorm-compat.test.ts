/**
 * The loader's promise, checked on a real server: for every fixture, the model says exactly what
 * TypeORM's own `synchronize` creates — names, types, nullability, keys, identity/serial, enums,
 * extensions, comments — and its raw expressions mean what TypeORM's DDL meant (both cooked by Postgres).
 */
import { resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataSource, mapMetadataToModel } from '../../src/entity-loader';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { snapshotOfDatabase, snapshotOfModel } from './helpers/catalog-snapshot';
import { cookedOfDatabase, cookedOfModel } from './helpers/cooked-expressions';

const ROOT = resolve(__dirname, '../..');

const CONFIGS = [
  'ormconfig.ts',
  'test/fixtures/basic/ormconfig.ts',
  'test/fixtures/relations/ormconfig.ts',
  'test/fixtures/enums/ormconfig.ts',
  'test/fixtures/indexes-checks/ormconfig.ts',
  'test/fixtures/schemas-prefix/ormconfig.ts',
  'test/fixtures/generated-keys/ormconfig.ts',
  'test/fixtures/generated-keys-pgcrypto/ormconfig.ts',
  'test/fixtures/defaults/ormconfig.ts',
  'test/fixtures/long-names/ormconfig.ts',
  'test/fixtures/naming-strategy/ormconfig.ts',
  'test/fixtures/naming-vectors/ormconfig.ts',
  'test/fixtures/inheritance-embedded/ormconfig.ts',
  'test/fixtures/views-exclusions/ormconfig.ts',
];

/** Lets TypeORM create the schema its own way, on the test database. */
async function synchronizeWithTypeorm(loaded: DataSource, db: TestDatabase): Promise<void> {
  // The classes the loader already compiled (tests must not import entity files themselves);
  // junction tables are derived again by TypeORM from the relations.
  const entities = loaded.entityMetadatas
    .filter((m) => m.tableType !== 'junction' && m.tableType !== 'closure-junction')
    .map((m) => m.target);
  const sync = new DataSource({
    ...loaded.options, url: db.url, entities, migrations: [], subscribers: [], synchronize: false, logging: false,
  } as DataSourceOptions);
  await sync.initialize();
  try {
    await sync.synchronize();
  } finally {
    await sync.destroy();
  }
}

describe('the model matches what TypeORM synchronize creates', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it.each(CONFIGS)('%s', async (config) => {
    const { dataSource } = await loadDataSource(config, { cwd: ROOT });
    const model = mapMetadataToModel(dataSource);
    db = await createTestDatabase('pgshift_compat');
    // TypeORM never creates schemas (#9372): a project creates them first, and so does this test.
    for (const schema of model.schemas) await db.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await synchronizeWithTypeorm(dataSource, db);

    expect(snapshotOfModel(model)).toEqual(await snapshotOfDatabase(db));
    const cookedByTypeorm = await cookedOfDatabase(db);
    expect(await cookedOfModel(db, model)).toEqual(cookedByTypeorm);
  });
});
