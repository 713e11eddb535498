/**
 * One SQL statement with what the planner and the emitter need to know about it: the lock it takes, on
 * which table, for how long, and the squawk findings it triggers on purpose. The SQL builders (./ddl.ts,
 * ./column-sql.ts) make them; the planner arranges them into steps (planner/step.ts).
 *
 * Waivers: teams lint migrations with squawk in CI; a statement whose form squawk flags but pgshift chose
 * deliberately (a drop the user allowed with --allow-destructive, a rename behind a compatibility view,
 * the DROP NOT NULL of a down, the type the entity declares…) carries its waivers, and the emitter writes
 * squawk's own `-- squawk-ignore <rule>` before it and the reason in the file's header. Waivers are
 * attached where the form is chosen, from what the planner knows, never by reading SQL text.
 */
import type { QualifiedName } from '../model/schema';

/** PostgreSQL's table-level lock modes (docs: "Explicit Locking"), weakest first. */
export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** What ordinary application traffic does while a lock mode is held. */
export function lockBlocks(lock: LockMode | null): 'nothing' | 'writes' | 'reads and writes' {
  switch (lock) {
    case null:
    case 'ACCESS SHARE':
    case 'ROW SHARE':
    case 'ROW EXCLUSIVE':
    case 'SHARE UPDATE EXCLUSIVE':
      return 'nothing';
    case 'SHARE':
    case 'SHARE ROW EXCLUSIVE':
    case 'EXCLUSIVE':
      return 'writes';
    case 'ACCESS EXCLUSIVE':
      return 'reads and writes';
  }
}

export interface Statement {
  readonly sql: string;
  /** The strongest table lock the statement takes, or null for none (e.g. CREATE TYPE). */
  readonly lock: LockMode | null;
  /** The table the lock is on, for the header. */
  readonly table: QualifiedName | null;
  /** True when the statement rewrites or scans the whole table while holding `lock`. */
  readonly rewrites: boolean;
  /** How long the lock is held: `instant` (catalog only) or `scan`/`rewrite`/`build` (proportional). */
  readonly duration: 'instant' | 'scan' | 'rewrite' | 'build' | 'batched';
  /** squawk findings this statement triggers on purpose (rendered as `-- squawk-ignore`, reason in the header). */
  readonly waivers?: readonly LintWaiver[];
}

export function statement(sql: string, lock: LockMode | null, table: QualifiedName | null, duration: Statement['duration'] = 'instant'): Statement {
  return { sql, lock, table, rewrites: duration === 'rewrite' || duration === 'scan', duration };
}

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
