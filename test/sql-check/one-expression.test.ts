/** The one-expression check: what a wrapper `SELECT (<text>\n)` must not let through. */
import { beforeAll, describe, expect, it } from 'vitest';
import { expressionChecker, isPlainExpression, type ExpressionChecker } from '../../src/sql-check/one-expression';

let checker: ExpressionChecker;
beforeAll(async () => {
  checker = await expressionChecker();
});

const ACCEPTED = [
  "'x'",
  '0',
  "lower(email) || '@' || id::text",
  "'it''s'",
  "E'back\\\\slash \\' quote'",
  '$$dollar $x$ quoted$$',
  '$tag$ text with $$ inside $tag$',
  "'-- not a comment'",
  "'/* nor this */'",
  "'two\nlines'",
  "'ünïcødé ✓'",
  "'control \u0001\u001f\u000b characters'",
  "\"Mixed Case\" IS NOT NULL",
  '(SELECT max(id) FROM users)',
  "CASE WHEN a > 0 THEN 'p' ELSE 'n' END",
  "now() at time zone 'utc'",
  'x IN (1, 2, 3)',
  "ARRAY['a', 'b']::text[]",
];

const REFUSED: ReadonlyArray<readonly [string, RegExp]> = [
  ["'x'; DROP TABLE exchange_rates; --", /syntax error|comment|more than one/],
  ["1); DROP TABLE exchange_rates; SELECT (1", /more than one statement/],
  ['1), (2', /more than one expression/],
  ['1) FROM users WHERE (true', /clauses of its own/],
  ['1) UNION SELECT (2', /clauses of its own/],
  ['1) INTO t FROM (SELECT 1', /clauses of its own/],
  ['1) FOR UPDATE --', /comment|syntax error|clauses/],
  ['1) AS x, (2', /.+/],
  ['1 -- swallow the rest', /comment/],
  ['1 /* open', /unterminated \/\* comment/],
  ['1 /* closed */', /comment/],
  ["'\u0001' -- after a control character", /comment/],
  ["'unbalanced", /unterminated quoted string/],
  ['$$unbalanced', /unterminated dollar-quoted string/],
  ['"unbalanced', /unterminated quoted identifier/],
  ['', /empty/],
  ['   ', /empty/],
  ['1)\u0000; DROP TABLE t', /NUL/],
  ['(WITH d AS (DELETE FROM users RETURNING 1) SELECT 1)', /data-modifying statement \(DELETE\)/],
  ['(WITH d AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1)', /data-modifying statement \(INSERT\)/],
  ['$1', /parameter/],
  ['lower($2::text)', /parameter/],
  ['1)', /syntax error/],
  ['(1', /syntax error/],
];

describe('one SQL expression', () => {
  it.each(ACCEPTED)('accepts %j', (text) => {
    expect(checker.problemOf(text)).toBeNull();
  });

  it.each(REFUSED)('refuses %j', (text, reason) => {
    expect(checker.problemOf(text)).toMatch(reason);
  });
});

describe('plain shapes skip the parser', () => {
  it.each(['now()', 'gen_random_uuid()', '0', '-1.5', "'USD'", "('now'::text)::date", "('now'::text)::timestamp(3) with time zone", 'CURRENT_TIMESTAMP', 'true', '"rate" > 0', 'score >= -1', '"deleted_at" IS NOT NULL'])('%j is plain', (text) => {
    expect(isPlainExpression(text)).toBe(true);
  });

  it.each(["'it''s'", "'a\\b'", 'now() + 1', 'x', "'x'; DROP TABLE t; --", '1); DROP TABLE t; --', '"a"" > 0', '"a" > 0; DROP TABLE t'])('%j needs the parser', (text) => {
    expect(isPlainExpression(text)).toBe(false);
  });
});
