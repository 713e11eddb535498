/**
 * squawk's own comments in a generated file. A statement's waivers (src/planner/lint-waiver.ts) become
 * `-- squawk-ignore <rule>, …` on the line before it, and the header says why. squawk's line ignore covers
 * the next line only, so a statement spanning several lines (CREATE TABLE, one column a line) gets
 * `-- squawk-ignore-file <rule>` in the header instead.
 *
 * Lint the files as golang-migrate runs them: `squawk --assume-in-transaction --pg-version <major>`
 * (a file's whole text is one query, i.e. one implicit transaction). A non-transactional file says
 * `-- squawk-disable-assume-in-transaction`.
 */
import type { Statement } from '../sql/statement';

/** squawk's per-file opt-out of --assume-in-transaction, for files the runner executes outside one. */
export const SQUAWK_NO_TRANSACTION = '-- squawk-disable-assume-in-transaction';

function rulesOf(s: Statement): string[] {
  return [...new Set((s.waivers ?? []).map((w) => w.rule))];
}

function spansLines(s: Statement): boolean {
  return s.sql.trim().includes('\n');
}

/** The `-- squawk-ignore` line to put right before the statement, or none. */
export function ignoreLine(s: Statement): string[] {
  const rules = rulesOf(s);
  return rules.length === 0 || spansLines(s) ? [] : [`-- squawk-ignore ${rules.join(', ')}`];
}

/** Header lines: each waiver with its statement number and reason; file-wide ignores for multi-line statements. */
export function waiverHeader(statements: readonly Statement[]): string[] {
  const lines: string[] = [];
  statements.forEach((s, i) => {
    for (const w of s.waivers ?? []) lines.push(`--   ${i + 1}. ${w.rule}: ${w.reason}`);
  });
  if (lines.length === 0) return [];
  const fileWide = [...new Set(statements.filter(spansLines).flatMap(rulesOf))];
  return [
    '-- squawk findings taken on purpose (squawk-ignore comments):',
    ...lines,
    // squawk's line ignore covers one line: a statement over several lines is waived for the file.
    ...(fileWide.length > 0 ? [`-- squawk-ignore-file ${fileWide.join(', ')}`] : []),
  ];
}
