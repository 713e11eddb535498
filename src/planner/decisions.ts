/**
 * What a person decided, parsed from flags or prompts at the CLI edge and passed to the pure planner as
 * data (like drizzle's resolvers, without the callbacks).
 */
import type { ColumnRename, TableRename } from '../diff/diff';
import type { Precheck } from './precheck';
import type { RuleId } from './rule-id';
import { DEFAULT_TIMEOUTS, type Timeouts } from './step';

export interface Decisions {
  readonly columnRenames: readonly ColumnRename[];
  readonly tableRenames: readonly TableRename[];
  /** `schema.table.column` → SQL expression used to fill existing rows. */
  readonly backfills: ReadonlyMap<string, string>;
  readonly allowDestructive: boolean;
  /**
   * Also drop tables, enums and schemas that no entity describes. Separate from allowDestructive on
   * purpose: allowing one dropped column must never sweep away a table some other tool owns.
   */
  readonly dropUnmanaged: boolean;
  /**
   * Drop and re-create, from the catalog's definition, the views no entity describes that read what the
   * plan changes beneath them (rules/drop-view.ts): their grants, comments and options are not kept.
   */
  readonly recreateViews: boolean;
  /** Rows per backfill batch: the cap of the adaptive size. */
  readonly batchSize: number;
  /** Target time one backfill batch holds its row locks (ms); 0: fixed batches of batchSize. */
  readonly batchTimeMs: number;
  readonly timeouts: Timeouts;
}

export const NO_DECISIONS: Decisions = {
  columnRenames: [],
  tableRenames: [],
  backfills: new Map(),
  allowDestructive: false,
  dropUnmanaged: false,
  recreateViews: false,
  batchSize: 5000,
  batchTimeMs: 50,
  timeouts: DEFAULT_TIMEOUTS,
};

export function backfillKey(schema: string, table: string, column: string): string {
  return `${schema}.${table}.${column}`;
}

/** A decision the plan needs before anything can be written; `flag` is the exact flag that gives it. */
export interface DecisionRequest {
  readonly rule: RuleId;
  /** What would happen / why pgshift stops. */
  readonly reason: string;
  /** The flag(s) that resolve it, e.g. `--backfill users.nickname=<SQL expression>`. */
  readonly flag: string;
  /** The safe sequence pgshift would emit once decided. */
  readonly wouldDo?: string;
  /**
   * Set when the decision is "is this a rename?": the `--rename` value that says yes. At a terminal the
   * CLI asks the question instead of stopping; elsewhere the flag is the only way.
   */
  readonly renameSpec?: string;
  /** The rows the change would damage, as a data check the CLI runs in live mode (counts and sample keys). */
  readonly precheck?: Precheck;
}
