/**
 * A planner rule turns one kind of change into fragments (and maybe a pending contract), or stops the
 * plan: it `needs` a decision (a flag that lets it plan safely: --rename, --backfill), or it has `refused`
 * (the safe form is impossible or not pgshift's to choose; the flag, usually --allow-destructive, takes
 * the unsafe one). Each rule `claims` the changes it is for; the rules of one kind claim disjoint
 * changes (the planner checks), and `direct` takes every change no other rule claims — so no rule
 * depends on where it sits in the list. One rule per file in ./rules, each with a `.md` page (problem,
 * what pgshift emits instead, the flag) and tests; registered through `defineRule`.
 */
import type { Change, ChangeKind } from '../diff/change';
import type { QualifiedName, SchemaModel } from '../model/schema';
import type { DecisionRequest, Decisions } from './decisions';
import type { PendingContract } from './contracts';
import type { Fragment } from './fragment';
import type { RuleId } from './rule-id';

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

export type RuleOutcome =
  | { readonly kind: 'plan'; readonly fragments: readonly Fragment[]; readonly contract?: PendingContract }
  | { readonly kind: 'needs'; readonly request: DecisionRequest }
  | { readonly kind: 'refused'; readonly request: DecisionRequest };

/** The change of kind K, as a rule for K receives it. */
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

export interface Rule<K extends ChangeKind> {
  readonly id: RuleId;
  readonly kinds: readonly K[];
  /** Whether the change is this rule's (else `direct`, or another rule of the same kind, takes it). */
  claims(change: ChangeOf<K>, ctx: PlanContext): boolean;
  plan(change: ChangeOf<K>, ctx: PlanContext): RuleOutcome;
}

/** A rule as the registry holds it: any change in, checked against `kinds` before the rule sees it. */
export interface RegisteredRule {
  readonly id: RuleId;
  readonly kinds: readonly ChangeKind[];
  claims(change: Change, ctx: PlanContext): boolean;
  plan(change: Change, ctx: PlanContext): RuleOutcome;
}

/** The one way a rule enters the registry (rules/index.ts). */
export function defineRule<K extends ChangeKind>(rule: Rule<K>): RegisteredRule {
  const kinds: readonly ChangeKind[] = rule.kinds;
  const accepts = (change: Change): change is ChangeOf<K> => kinds.includes(change.kind);
  return {
    id: rule.id,
    kinds,
    claims: (change, ctx) => accepts(change) && rule.claims(change, ctx),
    plan: (change, ctx) => {
      if (!accepts(change)) throw new Error(`rule ${rule.id} got a ${change.kind}`);
      return rule.plan(change, ctx);
    },
  };
}

export function tableKey(table: QualifiedName): string {
  return `${table.schema}.${table.name}`;
}

export function isNewTable(ctx: PlanContext, table: QualifiedName): boolean {
  return ctx.newTables.has(tableKey(table));
}
