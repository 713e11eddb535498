/**
 * No spurious diffs: a database built by TypeORM's own `synchronize` from the same entities reads as
 * identical through pgshift's whole pipeline (load → introspect → cook → diff), for every fixture —
 * the loops TypeORM's generator falls into (#3076, #10418, #9292, #5117) must not happen here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import { loadEntityModel } from '../../src/entity-loader';
import { describeChange } from '../../src/planner/describe';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { synchronizeWithTypeorm } from '../helpers/typeorm-sync';

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
  'test/fixtures/typeorm-quirks/ormconfig.ts',
];

describe('a database TypeORM synchronized reads as in sync', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it.each(CONFIGS)('%s', async (config) => {
    db = await createTestDatabase('pgshift_sync');
    await synchronizeWithTypeorm(config, db.url);
    const { model } = await loadEntityModel(config, { cwd: REPO_ROOT });
    const client = await db.connect();
    try {
      const current = await introspect(client, { schemas: [...model.schemas] });
      const desired = await cookModel(client, model);
      const { changes, unmanaged } = diffModels(current, desired);
      expect(changes.map(describeChange)).toEqual([]);
      expect(unmanaged).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('pgshift check --database-url exits 0 on the sample app synchronized by TypeORM', async () => {
    db = await createTestDatabase('pgshift_sync');
    await synchronizeWithTypeorm('ormconfig.ts', db.url);
    // A database TypeORM built has no schema_migrations: check compares it as it is.
    const result = await runCli(['check', '--database-url', db.url, '--dir', 'test/fixtures/empty-migrations']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('In sync');
  });
});
