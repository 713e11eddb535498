/**
 * Change[] + decisions + server facts → a plan: ordered steps, contract work to record, and every
 * decision still missing. Pure: no I/O, no clock. If any decision is missing, the steps are not to be
 * written — the CLI reports all requests together so one run names every flag.
 */
import type { Change } from '../diff/change';
import { qualifiedKey } from '../model/schema';
import { assembleSteps } from './assemble';
import { recordLookups } from './backfill-lookups';
import type { DecisionRequest } from './decisions';
import type { Fragment } from './fragment';
import { describeChange } from './describe';
import type { PendingContract } from './contracts';
import type { PlanContext, RegisteredRule } from './rule';
import type { RuleId } from './rule-id';
import { RULES } from './rules';
import { direct } from './rules/direct';
import type { Step } from './step';

export interface Plan {
  readonly steps: readonly Step[];
  readonly contracts: readonly PendingContract[];
  readonly needs: readonly DecisionRequest[];
  /** Which rule handled each change, for `--json` and tests. */
  readonly trace: ReadonlyArray<{ readonly change: Change; readonly rule: RuleId }>;
  /** backfillKeys of the columns this plan takes a `--backfill` value for, given or not (sorted). */
  readonly backfillTargets: readonly string[];
}

export type PlanInput = Omit<PlanContext, 'newTables'>;

export function newTablesOf(changes: readonly Change[]): Set<string> {
  return new Set(changes.flatMap((c) => (c.kind === 'CreateTable' ? [qualifiedKey(c.table)] : [])));
}

/**
 * The rule for a change: the one rule other than `direct` that claims it, else `direct`. Rules of one
 * kind claim disjoint changes; two claiming the same change is a planner bug, never resolved by order.
 */
export function ruleFor(change: Change, ctx: PlanContext, rules: readonly RegisteredRule[] = RULES): RegisteredRule {
  const claiming = rules.filter((rule) => rule.id !== direct.id && rule.kinds.includes(change.kind) && rule.claims(change, ctx));
  if (claiming.length > 1) throw new Error(`rules ${claiming.map((r) => r.id).join(', ')} all claim: ${describeChange(change)}`);
  return claiming[0] ?? direct;
}

export function planChanges(changes: readonly Change[], input: PlanInput, rules: readonly RegisteredRule[] = RULES): Plan {
  const lookedUp = new Set<string>();
  const decisions = { ...input.decisions, backfills: recordLookups(input.decisions.backfills, lookedUp) };
  const ctx: PlanContext = { ...input, decisions, newTables: newTablesOf(changes) };
  const fragments: Fragment[] = [];
  const contracts: PendingContract[] = [];
  const needs: DecisionRequest[] = [];
  const trace: Array<{ change: Change; rule: RuleId }> = [];
  for (const change of changes) {
    const rule = ruleFor(change, ctx, rules);
    const outcome = rule.plan(change, ctx);
    trace.push({ change, rule: rule.id });
    if (outcome.kind === 'plan') {
      fragments.push(...outcome.fragments);
      if (outcome.contract) contracts.push(outcome.contract);
    } else {
      // A decision to give or a refusal to override: either way the CLI names the flag.
      needs.push(outcome.request);
    }
  }
  return {
    steps: needs.length > 0 ? [] : assembleSteps(fragments),
    contracts: needs.length > 0 ? [] : contracts,
    needs,
    trace,
    backfillTargets: [...lookedUp].sort(),
  };
}
