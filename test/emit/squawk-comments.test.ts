/**
 * How a statement's lint waivers reach the file: `-- squawk-ignore <rules>` on the line before it (file-wide
 * for a statement over several lines), the reason in the header, and `-- squawk-disable-assume-in-transaction`
 * in a non-transactional file. And that squawk really honours them: the same file without the comment
 * gets the finding back.
 */
import { describe, expect, it } from 'vitest';
import { renderFile } from '../../src/emit/render-file';
import { SQUAWK_NO_TRANSACTION } from '../../src/emit/squawk-comments';
import { waive } from '../../src/sql/statement';
import { DEFAULT_TIMEOUTS, type Step } from '../../src/planner/step';
import { type Statement } from '../../src/sql/statement';
import { statement } from '../../src/sql/statement';
import { SquawkBatch } from '../helpers/squawk';

const users = { schema: 'public', name: 'users' };
const OPTIONS = { index: 1, total: 1, fileBase: '000001_x', timeouts: DEFAULT_TIMEOUTS, rowEstimates: new Map<string, number>(), toolVersion: 'test' };

function step(up: Statement[], transactional = true): Step {
  const noop = statement('SELECT 1', null, null);
  return { slug: 'x', phase: 'contract', content: 'schema', transactional, summary: 'test', why: 'test', up, down: [noop] };
}

function lint(text: string, version = 15): string[] {
  return new SquawkBatch().addText('x.sql', text, version).findings().map((f) => f.rule);
}

const drop = statement('ALTER TABLE "public"."users" DROP COLUMN "legacy"', 'ACCESS EXCLUSIVE', users);
const allowed = waive(drop, ['ban-drop-column'], '--allow-destructive was given');

describe('squawk comments in rendered files', () => {
  it('puts squawk-ignore right before the statement and the reason in the header', () => {
    const text = renderFile(step([allowed]), 'up', OPTIONS);
    expect(text).toContain('--   1. ban-drop-column: --allow-destructive was given');
    expect(text).toContain('-- squawk-ignore ban-drop-column\nALTER TABLE "public"."users" DROP COLUMN "legacy";');
    expect(lint(text)).toEqual([]);
  });

  it('squawk reports the finding again when the statement has no waiver (the comment does the work)', () => {
    expect(lint(renderFile(step([drop]), 'up', OPTIONS))).toEqual(['ban-drop-column']);
  });

  it('waives a statement over several lines file-wide (squawk ignores one line only)', () => {
    const create = waive(statement('CREATE TABLE "public"."t" (\n  "a" integer,\n  "b" integer\n)', null, users), ['prefer-bigint-over-int'], 'declared');
    const text = renderFile(step([create]), 'up', OPTIONS);
    expect(text).toContain('-- squawk-ignore-file prefer-bigint-over-int');
    expect(text).not.toContain('-- squawk-ignore prefer');
    expect(lint(text)).toEqual([]);
  });

  it('marks a non-transactional file for squawk, so --assume-in-transaction does not apply to it', () => {
    const build = statement('CREATE INDEX CONCURRENTLY "i" ON "public"."users" ("a")', 'SHARE UPDATE EXCLUSIVE', users, 'build');
    const text = renderFile(step([build], false), 'up', OPTIONS);
    expect(text).toContain(SQUAWK_NO_TRANSACTION);
    // Without its waivers, the lone CONCURRENTLY is flagged for the timeouts the runner's session supplies.
    expect(lint(text)).toEqual(expect.arrayContaining(['require-lock-timeout', 'require-statement-timeout', 'prefer-robust-stmts']));
  });
});
