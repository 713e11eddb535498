/**
 * Runs data checks (src/planner/precheck.ts) on a connection, read-only: each in its own
 * `BEGIN READ ONLY … ROLLBACK`, so a check can neither change data nor keep a snapshot open after it.
 * Used by `gen diff --database-url` (plan time) and by `pgshift up` right before a step.
 */
import type { ClientBase } from 'pg';
import type { Precheck } from '../../planner/precheck';
import { CAST_RESULT_SETTING, checkQuery, failingCastsBlock, foreignKeyQuery, narrowingPredicates, narrowingQuery, notNullQuery, uniqueQuery } from './queries';

export interface Sample {
  /** The row's key (primary key or ctid); for a duplicate, the duplicated value. */
  readonly key: string;
  /** What is wrong: the value, the referencing key, or (duplicates) how many rows share the key. */
  readonly value: string | null;
  /** True when the conversion rejects the value (narrowing); always true for the other kinds. */
  readonly failing: boolean;
  /** The server's error for a value a cast rejects. */
  readonly error?: string;
}

export interface Finding {
  readonly check: Precheck;
  /** Rows that make the step fail or lose data; 0 = the check passed. For duplicates: duplicated keys. */
  readonly refusing: number;
  /** Rows in the duplicate groups (unique), else equal to `refusing`. */
  readonly rows: number;
  /** Narrowing: rows the conversion rejects (overflow, a failing cast). */
  readonly failing: number;
  /** Narrowing: rows the conversion changes (rounded, shortened), refusing or not (changesAccepted). */
  readonly changed: number;
  readonly samples: readonly Sample[];
}

interface Row { key: string; value: string | null; failing: boolean; failing_total: string; total: string; rows_total: string }

/** SQLSTATE class 22 (data exception) and 42846 (cannot coerce): what a failing cast raises. */
function isCastError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('22') || code === '42846';
}

async function readOnly<T>(client: ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN READ ONLY');
  try {
    return await fn();
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

function fromRows(check: Precheck, rows: readonly Row[]): Finding {
  const first = rows[0];
  const total = first ? Number(first.total) : 0;
  const failing = first ? Number(first.failing_total) : 0;
  const samples = rows.map((r) => ({ key: r.key, value: r.value, failing: r.failing }));
  if (check.kind !== 'narrowing') return { check, refusing: total, rows: first ? Number(first.rows_total) : 0, failing: total, changed: 0, samples };
  const changed = total - failing;
  const refusing = failing + (check.changesAccepted ? 0 : changed);
  return { check, refusing, rows: refusing, failing, changed, samples };
}

/** The row-by-row cast for a narrowing whose one-query form hit a value the cast rejects. */
async function narrowingByRow(client: ClientBase, check: Extract<Precheck, { kind: 'narrowing' }>): Promise<Finding> {
  return readOnly(client, async () => {
    await client.query(failingCastsBlock(check));
    const { rows } = await client.query<{ result: string }>(`SELECT current_setting('${CAST_RESULT_SETTING}') AS result`);
    const result = JSON.parse(rows[0]!.result) as { failed: number; changed: number; samples: Array<{ key: string; value: string; failing: boolean; error: string | null }> };
    const samples = [...result.samples]
      .sort((a, b) => Number(b.failing) - Number(a.failing))
      .map((s) => ({ key: s.key, value: s.value, failing: s.failing, ...(s.error ? { error: s.error } : {}) }));
    const refusing = result.failed + (check.changesAccepted ? 0 : result.changed);
    return { check, refusing, rows: refusing, failing: result.failed, changed: result.changed, samples };
  });
}

function queryOf(check: Precheck): string {
  switch (check.kind) {
    case 'not-null': return notNullQuery(check);
    case 'foreign-key': return foreignKeyQuery(check);
    case 'unique': return uniqueQuery(check);
    case 'check': return checkQuery(check);
    case 'narrowing': return narrowingQuery(check);
  }
}

/** One check's finding. A cast error in a narrowing's one-query form switches to the row-by-row cast. */
export async function runCheck(client: ClientBase, check: Precheck): Promise<Finding> {
  try {
    const rows = await readOnly(client, async () => (await client.query<Row>(queryOf(check))).rows);
    return fromRows(check, rows);
  } catch (error) {
    const byRow = check.kind === 'narrowing' && narrowingPredicates(check, 'v').fails === null && isCastError(error);
    if (!byRow) throw error;
    return narrowingByRow(client, check);
  }
}

export async function runChecks(client: ClientBase, checks: readonly Precheck[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  // Sequential: one connection, and each check is a scan the server should not run twice at once.
  for (const check of checks) findings.push(await runCheck(client, check));
  return findings;
}
