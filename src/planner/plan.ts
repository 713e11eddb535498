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
import type { PendingContract, PlanContext, Rule } from './rule';
import { RULES } from './rules';
import type { Step } from './step';

export interface Plan {
  readonly steps: readonly Step[];
  readonly contracts: readonly PendingContract[];
  readonly needs: readonly DecisionRequest[];
  /** Which rule handled each change, for `--json` and tests. */
  readonly trace: ReadonlyArray<{ readonly change: Change; readonly rule: string }>;
  /** backfillKeys of the columns this plan takes a `--backfill` value for, given or not (sorted). */
  readonly backfillTargets: readonly string[];
}

export type PlanInput = Omit<PlanContext, 'newTables'>;

export function newTablesOf(changes: readonly Change[]): Set<string> {
  return new Set(changes.flatMap((c) => (c.kind === 'CreateTable' ? [qualifiedKey(c.table)] : [])));
}

export function planChanges(changes: readonly Change[], input: PlanInput, rules: readonly Rule[] = RULES): Plan {
  const lookedUp = new Set<string>();
  const decisions = { ...input.decisions, backfills: recordLookups(input.decisions.backfills, lookedUp) };
  const ctx: PlanContext = { ...input, decisions, newTables: newTablesOf(changes) };
  const fragments: Fragment[] = [];
  const contracts: PendingContract[] = [];
  const needs: DecisionRequest[] = [];
  const trace: Array<{ change: Change; rule: string }> = [];
  for (const change of changes) {
    for (const rule of rules) {
      if (rule.appliesTo.length > 0 && !rule.appliesTo.includes(change.kind)) continue;
      const outcome = rule.plan(change, ctx);
      if (!outcome) continue;
      trace.push({ change, rule: rule.id });
      if (outcome.kind === 'needs') {
        needs.push(outcome.request);
      } else {
        fragments.push(...outcome.fragments);
        if (outcome.contract) contracts.push(outcome.contract);
      }
      break;
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
