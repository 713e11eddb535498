/**
 * A squawk finding that pgshift triggers on purpose, with the reason. Teams lint migrations with squawk
 * in CI; a statement whose form squawk flags but pgshift chose deliberately (a drop the user allowed with
 * --allow-destructive, a rename behind a compatibility view, the DROP NOT NULL of a down, the type the
 * entity declares…) carries its waivers, and the emitter writes squawk's own `-- squawk-ignore <rule>`
 * before it and the reason in the file's header. Waivers are attached where the form is chosen, from
 * what the planner knows, never by reading SQL text.
 */
import type { Statement } from './step';

/** squawk's rule names (squawk-cli 2.61), only those pgshift ever waives. */
export type SquawkRule =
  | 'adding-field-with-default'
  | 'adding-foreign-key-constraint'
  | 'adding-not-nullable-field'
  | 'adding-required-field'
  | 'adding-serial-primary-key-field'
  | 'ban-char-field'
  | 'ban-drop-column'
  | 'ban-drop-not-null'
  | 'ban-drop-table'
  | 'changing-column-type'
  | 'constraint-missing-not-valid'
  | 'disallowed-unique-constraint'
  | 'prefer-bigint-over-int'
  | 'prefer-bigint-over-smallint'
  | 'prefer-identity'
  | 'prefer-robust-stmts'
  | 'prefer-text-field'
  | 'prefer-timestamp-tz'
  | 'renaming-column'
  | 'renaming-table'
  | 'require-concurrent-index-creation'
  | 'require-concurrent-index-deletion'
  | 'require-lock-timeout'
  | 'require-statement-timeout';

export interface LintWaiver {
  readonly rule: SquawkRule;
  /** Why the flagged form is the right one here, for the file's header. */
  readonly reason: string;
}

/** The statement with `rules` waived for `reason` (added to any waivers it already has; one per rule). */
export function waive(statement: Statement, rules: readonly SquawkRule[], reason: string): Statement {
  if (rules.length === 0) return statement;
  const kept = (statement.waivers ?? []).filter((w) => !rules.includes(w.rule));
  return { ...statement, waivers: [...kept, ...rules.map((rule) => ({ rule, reason }))] };
}

/** Why a down may take forms squawk flags: it puts back exactly what its up changed. */
export const RESTORES_BEFORE_UP = 'the down puts the schema back as it was before the up, in one transaction: a rollback path, run on purpose, not an online change';

/** Why a contract may drop or rename what its expand replaced. */
export const CONTRACT_STEP = 'a contract step (gen diff --contract), run once no deployed code uses the old shape; catalog-only, ACCESS EXCLUSIVE for an instant';
