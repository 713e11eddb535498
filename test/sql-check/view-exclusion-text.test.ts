/**
 * The view-query and exclusion-body checks (src/sql-check/view-query.ts, exclusion-body.ts): examples,
 * then a property over hostile text — whatever a check accepts, written the way pgshift writes it
 * (`CREATE VIEW … AS <text>;`, `CREATE TABLE … (…, CONSTRAINT … EXCLUDE <text>);`, `ALTER TABLE … ADD
 * CONSTRAINT … EXCLUDE <text>;`, followed by the file's next statement) parses to exactly those
 * statements: nothing in the text became SQL of its own.
 */
import fc from 'fast-check';
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { exclusionChecker } from '../../src/sql-check/exclusion-body';
import type { TextChecker } from '../../src/sql-check/parser';
import { viewQueryChecker } from '../../src/sql-check/view-query';
import { propertyParameters } from '../property/parameters';

let view: TextChecker;
let exclusion: TextChecker;
beforeAll(async () => {
  await loadModule();
  view = await viewQueryChecker();
  exclusion = await exclusionChecker();
});

describe('a view query is one SELECT', () => {
  it.each([
    'SELECT 1',
    'SELECT "id", "name" FROM "accounts";',
    "SELECT 'a;b -- c' AS t",
    'SELECT 1 -- a comment mid-query\n  FROM accounts',
    'VALUES (1), (2)',
    'SELECT 1 UNION ALL SELECT 2',
    'WITH a AS (SELECT 1 AS x) SELECT x FROM a',
    '(SELECT 1)',
    'TABLE accounts',
  ])('accepts %j', (text) => {
    expect(view.problemOf(text)).toBeNull();
  });

  it.each([
    ['SELECT 1; DROP TABLE accounts', /more than one statement/],
    ['SELECT 1; DROP TABLE accounts;', /more than one statement/],
    ['DROP TABLE accounts', /syntax error at or near "DROP"/],
    [';SELECT 1', /syntax error/],
    ['SELECT 1; SELECT 2;', /more than one statement/],
    ['SELECT 1 INTO stolen', /SELECT INTO/],
    ['WITH d AS (DELETE FROM accounts RETURNING 1) SELECT * FROM d', /data-modifying statement \(DELETE\)/],
    ['SELECT $1', /parameter/],
    ['SELECT 1 -- swallows the ;', /ends in a comment/],
    ['SELECT 1 /* open', /unterminated \/\* comment/],
    ["SELECT 'open", /unterminated quoted string/],
    ['', /empty/],
    [';', /empty/],
    ['SELECT 1\u0000; DROP TABLE t', /NUL/],
  ] as const)('refuses %j', (text, reason) => {
    expect(view.problemOf(text)).toMatch(reason);
  });
});

describe('an exclusion is one EXCLUDE body', () => {
  it.each([
    'USING gist ("room" WITH =, "during" WITH &&)',
    'USING gist (room WITH =) WHERE (room > 0)',
    "USING gist (room WITH =) WHERE (label <> 'a); b -- c')",
    'USING gist (room WITH =) DEFERRABLE INITIALLY DEFERRED',
    '(room WITH =)',
  ])('accepts %j', (text) => {
    expect(exclusion.problemOf(text)).toBeNull();
  });

  it.each([
    ['USING gist (room WITH =)); DROP TABLE t; --', /syntax error|more than one/],
    ['USING gist (room WITH =); DROP TABLE t', /more than one statement/],
    ['USING gist (room WITH =);', /inside CREATE TABLE/],
    ['USING gist (room WITH =), ADD COLUMN x int', /commands of its own/],
    ['USING gist (room WITH =) -- swallow', /comment/],
    ['USING gist (room WITH =) /* c */', /comment/],
    ['USING gist (room WITH =', /syntax error/],
    ['', /empty/],
  ] as const)('refuses %j', (text, reason) => {
    expect(exclusion.problemOf(text)).toMatch(reason);
  });
});

const PIECES = ["'", '"', '\\', '$$', '--', '/*', '*/', '\n', ';', ' ', ',', '(', ')', 'DROP TABLE t', 'SELECT 1', 'WITH =', 'ADD COLUMN x int', 'x'];
const hostile = fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 10 });
const NEXT = 'SELECT 42';

function kinds(sql: string): string[] | null {
  try {
    return (parseSync(sql).stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0] ?? '');
  } catch {
    return null;
  }
}

describe('accepted text never becomes SQL of its own', () => {
  it('view queries', () => {
    fc.assert(fc.property(fc.constantFrom('SELECT 1 AS n', "SELECT 'x' AS t FROM accounts", 'VALUES (1)'), hostile, hostile, (head, mid, tail) => {
      for (const text of [`${head}${tail}`, `${head} ${mid} ${tail}`, `${mid}${head}${tail}`]) {
        if (view.problemOf(text) !== null) continue;
        // As pgshift writes it: the statement, `;`, and the file's next statement.
        const written = `CREATE VIEW v AS ${text.trim().replace(/;+\s*$/, '')};\n${NEXT};`;
        expect(kinds(written), written).toEqual(['ViewStmt', 'SelectStmt']);
      }
    }), propertyParameters(2000));
  });

  it('exclusion bodies', () => {
    fc.assert(fc.property(fc.constantFrom('USING gist (room WITH =)', '(room WITH &&)'), hostile, (head, tail) => {
      const text = `${head}${tail}`;
      if (exclusion.problemOf(text) !== null) return;
      expect(kinds(`CREATE TABLE t (room int, CONSTRAINT c EXCLUDE ${text.trim()});\n${NEXT};`)).toEqual(['CreateStmt', 'SelectStmt']);
      expect(kinds(`ALTER TABLE t ADD CONSTRAINT c EXCLUDE ${text.trim()};\n${NEXT};`)).toEqual(['AlterTableStmt', 'SelectStmt']);
    }), propertyParameters(2000));
  });
});
