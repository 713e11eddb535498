/**
 * What a user sees when the config or an entity is wrong: one PgshiftError line with a code, the file
 * to fix, and a hint — never a stack trace.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { loadEntityModel } from '../../src/entity-loader';

const ROOT = resolve(__dirname, '../..');

async function failure(config: string): Promise<PgshiftError> {
  try {
    await loadEntityModel(config, { cwd: ROOT });
  } catch (error) {
    expect(error).toBeInstanceOf(PgshiftError);
    const pgshiftError = error as PgshiftError;
    expect(pgshiftError.message).not.toMatch(/\n/);
    expect(pgshiftError.hint).toBeTruthy();
    return pgshiftError;
  }
  throw new Error(`${config} loaded without an error`);
}

describe('config errors', () => {
  it('a missing config file', async () => {
    const error = await failure('test/fixtures/nowhere/ormconfig.ts');
    expect(error.code).toBe('CONFIG');
    expect(error.message).toBe(`TypeORM config file not found: ${ROOT}/test/fixtures/nowhere/ormconfig.ts`);
    expect(error.hint).toMatch(/--config/);
  });

  it('a folder instead of a file', async () => {
    expect((await failure('test/fixtures/basic')).code).toBe('CONFIG');
  });

  it('a DataSource for another database', async () => {
    const error = await failure('test/fixtures/config-shapes/not-postgres.ts');
    expect(error.code).toBe('CONFIG');
    expect(error.message).toBe('test/fixtures/config-shapes/not-postgres.ts configures a "mysql" DataSource; pgshift supports only PostgreSQL');
  });

  it('a module without a DataSource', async () => {
    const error = await failure('test/fixtures/config-shapes/no-datasource.ts');
    expect(error.code).toBe('CONFIG');
    expect(error.message).toBe('test/fixtures/config-shapes/no-datasource.ts does not export a TypeORM DataSource');
  });

  it('a config that throws while loading', async () => {
    const error = await failure('test/fixtures/config-shapes/throws.ts');
    expect(error.code).toBe('CONFIG');
    expect(error.message).toBe('test/fixtures/config-shapes/throws.ts: config exploded');
  });

  it('entity globs that match nothing', async () => {
    const error = await failure('test/fixtures/config-shapes/no-entities.ts');
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/lists no entities \(nothing matched .*does-not-exist\/\*\.ts\)/);
  });
});

describe('entity errors name the file to fix', () => {
  it('an entity without a primary column', async () => {
    const error = await failure('test/fixtures/rejected/no-primary.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toMatch(/^test\/fixtures\/rejected\/entities\/NoPrimary\.ts: Entity "NoPrimary" does not have a primary column\./);
  });

  it('a relation to a class that is not an entity (entities from globs)', async () => {
    const error = await failure('test/fixtures/rejected/missing-relation.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toMatch(/^test\/fixtures\/rejected\/entities\/DanglingRelation\.ts: Entity metadata for DanglingRelation#target was not found/);
  });

  it('a column type Postgres does not have', async () => {
    const error = await failure('test/fixtures/rejected/bad-type.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toBe('test/fixtures/rejected/entities/BadType.ts: Data type "tinyint" in "BadType.flag" is not supported by "postgres" database.');
  });

  it('two entity classes on one table, naming both classes and files', async () => {
    const error = await failure('test/fixtures/rejected/shared-table.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toBe('two entities on table public.shared_users: UserA (test/fixtures/rejected/entities/UserA.ts) and UserB (test/fixtures/rejected/entities/UserB.ts)');
    expect(error.hint).toMatch(/synchronize: false/);
  });

  it('an option key TypeORM does not know (TypeScript rejects it, TypeORM ignores it), with file:line', async () => {
    const error = await failure('test/fixtures/rejected/option-typo.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toBe('test/fixtures/rejected/entities/OptionTypo.ts:9:30: @Column has no option "lenght" (did you mean "length"?)');
    const aliased = await failure('test/fixtures/rejected/option-typo-nullable.ormconfig.ts');
    expect(aliased.message).toBe('test/fixtures/rejected/entities/OptionTypoNullable.ts:11:29: @Column has no option "nulable" (did you mean "nullable"?)');
  });

  it('an entity file that fails while loading', async () => {
    const error = await failure('test/fixtures/rejected/import-error.ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toMatch(/^test\/fixtures\/rejected\/entities\/ImportsMissing\.ts: Cannot find module '\.\/does-not-exist'/);
  });

  it('a TypeScript syntax error, with line and column', async () => {
    const error = await failure('test/fixtures/syntax-error/ormconfig.ts');
    expect(error.code).toBe('ENTITY');
    expect(error.message).toBe('test/fixtures/syntax-error/entities/Broken.ts:10:19: TypeScript syntax error: Expression expected.');
  });

  it('a good load still works after failed ones', async () => {
    const { model } = await loadEntityModel('test/fixtures/naming-vectors/ormconfig.ts', { cwd: ROOT });
    expect(model.tables.map((t) => t.name)).toEqual(['a']);
  });
});
