/**
 * Flags → Decisions. Parsing only: whether `a.b=c` renames a column or a table is settled against the
 * database's model in resolveRenames (src/pipeline/renames.ts), and whether each flag matches a change
 * the plan needs in unmatchedDecisions (src/pipeline/unmatched-decisions.ts). A `--backfill` value is
 * spliced into the migration's SQL, so it must parse as exactly one SQL expression.
 */
import { PgshiftError } from '../errors';
import { backfillKey, NO_DECISIONS, type Decisions } from '../planner/decisions';
import { shownValue } from '../pipeline/shown-value';
import { expressionChecker, isPlainExpression } from '../sql-check/one-expression';

export interface DecisionFlags {
  rename?: string[];
  backfill?: string[];
  allowDestructive?: boolean;
  dropUnmanaged?: boolean;
  recreateViews?: boolean;
  batchSize?: string;
  batchTime?: string;
  lockTimeout?: string;
  statementTimeout?: string;
}

const DURATION = /^\d+(ms|s|min|h)?$/;

const BACKFILL_HINT = "give one SQL expression, e.g. --backfill users.nickname=\"'anonymous'\" (text in single quotes, a quote inside doubled: 'it''s') or --backfill app.users.score=0";

function duration(flag: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!DURATION.test(value)) {
    throw new PgshiftError('USAGE', `${flag} ${value}: expected a duration like 500ms, 2s or 1min`, {
      hint: `e.g. ${flag} 5s; units: ms, s, min, h (a bare number is milliseconds)`,
    });
  }
  return value;
}

/** `--batch-time`: `50ms`, `0.2s`, `100` (ms) → milliseconds. */
function batchTime(value: string | undefined): number {
  if (value === undefined) return NO_DECISIONS.batchTimeMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!Number.isFinite(ms) || ms > 60_000 || (ms > 0 && ms < 1)) {
    throw new PgshiftError('USAGE', `--batch-time ${value}: expected a duration like 50ms or 0.2s (at most 60s), or 0 for fixed batches`, {
      hint: 'e.g. --batch-time 50ms: each backfill batch then holds its row locks about 50 ms (at most --batch-size rows)',
    });
  }
  return Math.round(ms);
}

export function parseBackfills(specs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const target = eq > 0 ? spec.slice(0, eq).trim() : '';
    const expression = eq > 0 ? spec.slice(eq + 1).trim() : '';
    const parts = target.split('.');
    if (!expression || parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
      throw new PgshiftError('USAGE', `--backfill ${shownValue(spec)}: expected table.column=<SQL expression>`, { hint: BACKFILL_HINT });
    }
    const [schema, table, column] = parts.length === 3 ? parts : ['public', ...parts];
    const key = backfillKey(schema!, table!, column!);
    if (out.has(key)) {
      throw new PgshiftError('USAGE', `--backfill ${shownValue(spec)}: ${target} is given a value twice`, { hint: 'pass one --backfill per column' });
    }
    out.set(key, expression);
  }
  return out;
}

/** Every `--backfill` value must be exactly one SQL expression: it is spliced into DDL and DO blocks. */
export async function checkBackfillExpressions(specs: readonly string[], backfills: ReadonlyMap<string, string>): Promise<void> {
  if ([...backfills.values()].every(isPlainExpression)) return;
  const checker = await expressionChecker();
  for (const spec of specs) {
    const expression = spec.slice(spec.indexOf('=') + 1).trim();
    const problem = checker.problemOf(expression);
    if (problem) {
      throw new PgshiftError('USAGE', `--backfill ${shownValue(spec)}: not one SQL expression: ${shownValue(problem)}`, { hint: BACKFILL_HINT });
    }
  }
}

export async function decisionsFromFlags(flags: DecisionFlags): Promise<{ decisions: Decisions; renameSpecs: string[] }> {
  const batchSize = flags.batchSize === undefined ? NO_DECISIONS.batchSize : Number(flags.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PgshiftError('USAGE', `--batch-size ${flags.batchSize}: expected a positive whole number`, { hint: 'e.g. --batch-size 5000 (rows per backfill batch)' });
  }
  const batchTimeMs = batchTime(flags.batchTime);
  if (flags.dropUnmanaged && !flags.allowDestructive) {
    throw new PgshiftError('USAGE', '--drop-unmanaged drops tables: it only works together with --allow-destructive', {
      hint: 'pass both: --allow-destructive --drop-unmanaged',
    });
  }
  const renameSpecs = flags.rename ?? [];
  for (const spec of renameSpecs) {
    if (!/^[^=]+=[^=]+$/.test(spec)) {
      throw new PgshiftError('USAGE', `--rename ${shownValue(spec)}: expected table.old_column=new_column or old_table=new_table`, {
        hint: 'e.g. --rename users.name=full_name (a column) or --rename accounts=customers (a table)',
      });
    }
  }
  const backfills = parseBackfills(flags.backfill ?? []);
  await checkBackfillExpressions(flags.backfill ?? [], backfills);
  return {
    renameSpecs,
    decisions: {
      ...NO_DECISIONS,
      backfills,
      allowDestructive: Boolean(flags.allowDestructive),
      dropUnmanaged: Boolean(flags.dropUnmanaged),
      recreateViews: Boolean(flags.recreateViews),
      batchSize,
      batchTimeMs,
      timeouts: {
        lockTimeout: duration('--lock-timeout', flags.lockTimeout, NO_DECISIONS.timeouts.lockTimeout),
        statementTimeout: duration('--statement-timeout', flags.statementTimeout, NO_DECISIONS.timeouts.statementTimeout),
      },
    },
  };
}
