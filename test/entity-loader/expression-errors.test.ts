/**
 * The SQL entities carry must be one expression each (issue 9): a `@Check`, an index's `where`, a
 * function default or an `asExpression` that would break out of its place in the DDL stops the load
 * with one line naming the entity's file and class, and a hint.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgshiftError } from '../../src/errors';
import { loadEntityModel } from '../../src/entity-loader';

const ROOT = resolve(__dirname, '../..');
const DIR = 'test/fixtures/bad-expressions';

async function failure(config: string, hint = /one SQL expression/): Promise<PgshiftError> {
  const error = await loadEntityModel(`${DIR}/${config}`, { cwd: ROOT }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PgshiftError);
  const pgshiftError = error as PgshiftError;
  expect(pgshiftError.code).toBe('ENTITY');
  expect(pgshiftError.message).not.toMatch(/\n/);
  expect(pgshiftError.hint).toMatch(hint);
  return pgshiftError;
}

describe('SQL in entities is one expression each', () => {
  it('loads quotes, backslashes, comment markers and dollars inside literals', async () => {
    const { model } = await loadEntityModel(`${DIR}/fine.ormconfig.ts`, { cwd: ROOT });
    expect(model.tables[0]!.checks[0]!.expression).toContain("'it''s -- /* $$'");
    expect(model.tables[0]!.exclusions![0]!.expression).toContain("'a); b -- c'");
    expect(model.views![0]!.definition).toContain("'a;b -- c /* d'");
  });

  it.each([
    ['bad-view.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadView\.ts: BadView: @ViewEntity expression `SELECT 1 AS "n"; DROP TABLE exchange_rates` is not one SELECT: it holds more than one statement$/, /one SELECT statement/],
    ['bad-exclusion.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadExclusion\.ts: BadExclusion: @Exclusion `USING gist .*` is not one exclusion constraint: /, /follows EXCLUDE/],
  ])('%s', async (config, message, hint) => {
    expect((await failure(config, hint)).message).toMatch(message);
  });

  it.each([
    ['bad-check.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadCheck\.ts: BadCheck: @Check expression `.*` is not one SQL expression: /],
    ['bad-where.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadWhere\.ts: BadWhere: @Index where `.*` is not one SQL expression: unterminated \/\* comment/],
    ['bad-default.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadDefault\.ts: BadDefault: column n default `1, "n" int` is not one SQL expression: /],
    ['bad-generated.ormconfig.ts', /^test\/fixtures\/bad-expressions\/entities\/BadGenerated\.ts: BadGenerated: column twice asExpression `.*` is not one SQL expression: it holds a comment/],
  ])('%s', async (config, message) => {
    expect((await failure(config)).message).toMatch(message);
  });
});
