/**
 * A planner rule turns one change into fragments (and maybe a pending contract), asks for a decision, or
 * passes (returns undefined) so the next rule — ultimately `direct` — handles it. One rule per file in
 * ./rules, each with a `.md` page (problem, what pgshift emits instead, the flag) and tests.
 */
import type { Change, ChangeKind } from '../diff/change';
import type { QualifiedName, SchemaModel } from '../model/schema';
import type { DecisionRequest, Decisions } from './decisions';
import type { Fragment } from './fragment';

export interface PlanContext {
  /** The schema as it is (database / shadow). */
  readonly from: SchemaModel;
  /** The schema as the entities want it. */
  readonly to: SchemaModel;
  readonly decisions: Decisions;
  /** The major the plan is for (target-major.ts): decides which SQL forms it may use. */
  readonly targetMajor: number;
  /** `server_version_num` of the live server the plan is made against (live mode only). */
  readonly liveServerVersion?: number;
  /** Estimated rows per `schema.table` (live mode only; empty otherwise). */
  readonly rowEstimates: ReadonlyMap<string, number>;
  /** `schema.table` keys of tables this plan creates: everything on them is safe to do directly. */
  readonly newTables: ReadonlySet<string>;
}

/** Identifies a diff change that a pending contract step will make disappear. */
export interface ChangeMatcher {
  readonly kind: ChangeKind;
  readonly table: string;
  readonly column?: string;
}

/** Contract work recorded at expand time and emitted by `gen diff --contract`. */
export interface PendingContract {
  readonly id: string;
  readonly summary: string;
  readonly covers: readonly ChangeMatcher[];
  readonly fragments: readonly Fragment[];
}

export type RuleOutcome =
  | { readonly kind: 'plan'; readonly fragments: readonly Fragment[]; readonly contract?: PendingContract }
  | { readonly kind: 'needs'; readonly request: DecisionRequest };

export interface Rule {
  readonly id: string;
  readonly appliesTo: readonly ChangeKind[];
  plan(change: Change, ctx: PlanContext): RuleOutcome | undefined;
}

export function tableKey(table: QualifiedName): string {
  return `${table.schema}.${table.name}`;
}

export function isNewTable(ctx: PlanContext, table: QualifiedName): boolean {
  return ctx.newTables.has(tableKey(table));
}
