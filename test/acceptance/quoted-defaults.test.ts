/**
 * String defaults are values (issue 9): every default of test/fixtures/quoted-defaults — quotes, an
 * injection attempt, backslashes, dollar quotes, comment markers, a newline, unicode, enum labels and
 * array elements — is planned, applied as golang-migrate would (each file as one query), and then a row
 * inserted with DEFAULT VALUES reads back exactly the value the entity declared.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadEntityModel } from '../../src/entity-loader';
import { evolveAndVerify } from '../helpers/acceptance';
import { REPO_ROOT } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const DECLARED = {
  apostrophe: "it's",
  injection: "'; DROP TABLE exchange_rates; --",
  doubled: "it''s",
  backslashes: 'C:\\new\\table',
  dollars: 'dollar $$ quote $x$ --',
  newline: 'two\nlines */ /*',
  unicode: 'ünïcødé ✓',
  mood: "it's fine",
  label: "a'b",
  tags: ["it's", 'a,b', 'say "hi"', 'back\\slash', '{braces}', 'NULL', ''],
  meta: { note: "x'y", path: 'a\\b' },
};

describe('string defaults with quotes keep their exact value', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('plans, applies, re-diffs empty and reads back every declared default', async () => {
    db = await createTestDatabase('pgshift_quoted');
    const client = await db.connect();
    try {
      await client.query('CREATE TABLE exchange_rates (id int PRIMARY KEY); INSERT INTO exchange_rates VALUES (1)');
      const { model } = await loadEntityModel('test/fixtures/quoted-defaults/ormconfig.ts', { cwd: REPO_ROOT });
      await evolveAndVerify(client, model);
      const { rows } = await client.query('INSERT INTO notes DEFAULT VALUES RETURNING *');
      const { id: _id, ...values } = rows[0];
      expect(values).toEqual(DECLARED);
      expect((await client.query('SELECT count(*)::int AS n FROM exchange_rates')).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });
});
