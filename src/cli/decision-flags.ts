/**
 * Flags → Decisions. Parsing only: whether `a.b=c` renames a column or a table is settled against the
 * database's model in resolveRenames (src/pipeline/renames.ts).
 */
import { PgshiftError } from '../errors';
import { backfillKey, NO_DECISIONS, type Decisions } from '../planner/decisions';

export interface DecisionFlags {
  rename?: string[];
  backfill?: string[];
  allowDestructive?: boolean;
  dropUnmanaged?: boolean;
  batchSize?: string;
  lockTimeout?: string;
  statementTimeout?: string;
}

const DURATION = /^\d+(ms|s|min|h)?$/;

function duration(flag: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!DURATION.test(value)) {
    throw new PgshiftError('USAGE', `${flag} ${value}: expected a duration like 500ms, 2s or 1min`);
  }
  return value;
}

export function parseBackfills(specs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const target = eq > 0 ? spec.slice(0, eq).trim() : '';
    const expression = eq > 0 ? spec.slice(eq + 1).trim() : '';
    const parts = target.split('.');
    if (!expression || parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
      throw new PgshiftError('USAGE', `--backfill ${spec}: expected table.column=<SQL expression>`, {
        hint: "e.g. --backfill users.nickname=\"'anonymous'\" or --backfill app.users.score=0",
      });
    }
    const [schema, table, column] = parts.length === 3 ? parts : ['public', ...parts];
    out.set(backfillKey(schema!, table!, column!), expression);
  }
  return out;
}

export function decisionsFromFlags(flags: DecisionFlags): { decisions: Decisions; renameSpecs: string[] } {
  const batchSize = flags.batchSize === undefined ? NO_DECISIONS.batchSize : Number(flags.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PgshiftError('USAGE', `--batch-size ${flags.batchSize}: expected a positive whole number`);
  }
  if (flags.dropUnmanaged && !flags.allowDestructive) {
    throw new PgshiftError('USAGE', '--drop-unmanaged drops tables: it only works together with --allow-destructive');
  }
  const renameSpecs = flags.rename ?? [];
  for (const spec of renameSpecs) {
    if (!/^[^=]+=[^=]+$/.test(spec)) {
      throw new PgshiftError('USAGE', `--rename ${spec}: expected table.old_column=new_column or old_table=new_table`);
    }
  }
  return {
    renameSpecs,
    decisions: {
      ...NO_DECISIONS,
      backfills: parseBackfills(flags.backfill ?? []),
      allowDestructive: Boolean(flags.allowDestructive),
      dropUnmanaged: Boolean(flags.dropUnmanaged),
      batchSize,
      timeouts: {
        lockTimeout: duration('--lock-timeout', flags.lockTimeout, NO_DECISIONS.timeouts.lockTimeout),
        statementTimeout: duration('--statement-timeout', flags.statementTimeout, NO_DECISIONS.timeouts.statementTimeout),
      },
    },
  };
}
