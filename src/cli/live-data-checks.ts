/**
 * Live mode (`gen diff --database-url`): the plan's data checks run on the database before anything is
 * written — a refusal that could lose data says how many rows are at risk and which, and a plan whose
 * steps would fail on today's data (a duplicate before a unique index, a NULL before NOT NULL, an orphan
 * before a foreign key's VALIDATE) is refused with the rows to fix. Read-only, each check under a short
 * statement timeout: a count must not become an outage of its own. `up` checks again right before each
 * step (src/runner/data-checks/before-step.ts).
 */
import { connect } from '../db/connect';
import { backfillKey, type DecisionRequest } from '../planner/decisions';
import type { Precheck } from '../planner/precheck';
import type { Step } from '../planner/step';
import { describeFinding } from '../runner/data-checks/describe-finding';
import { runCheck, type Finding } from '../runner/data-checks/run-checks';

const PLAN_TIME_TIMEOUT = '30s';

/** A read-only checker on `databaseUrl` under short timeouts: a count must not become an outage of its own. */
export async function withChecker<T>(databaseUrl: string, fn: (check: (c: Precheck) => Promise<Finding>) => Promise<T>): Promise<T> {
  const client = await connect(databaseUrl);
  try {
    await client.query(`SET statement_timeout = '${PLAN_TIME_TIMEOUT}'`);
    await client.query("SET lock_timeout = '2s'");
    return await fn((c) => runCheck(client, c));
  } finally {
    await client.end();
  }
}

type NarrowingCheck = Extract<Precheck, { kind: 'narrowing' }>;

export interface CountedNeeds {
  /** The refusals, each with its rows at risk counted (and sampled) on the database now. */
  readonly needs: readonly DecisionRequest[];
  /** The checks of the narrowings whose count found no row at risk. */
  readonly withoutRisk: readonly NarrowingCheck[];
}

/** The refusals with their rows at risk counted (and sampled) on the database now. */
export async function withRowsAtRisk(databaseUrl: string, needs: readonly DecisionRequest[]): Promise<CountedNeeds> {
  if (!needs.some((n) => n.precheck)) return { needs, withoutRisk: [] };
  return withChecker(databaseUrl, async (check) => {
    const out: DecisionRequest[] = [];
    const withoutRisk: NarrowingCheck[] = [];
    for (const need of needs) {
      if (!need.precheck) {
        out.push(need);
        continue;
      }
      let counted: string;
      try {
        const finding = await check(need.precheck);
        if (finding.refusing === 0 && need.precheck.kind === 'narrowing') withoutRisk.push(need.precheck);
        counted = finding.refusing === 0
          ? 'No row in the database holds such a value now (pgshift up checks again before the step)'
          : `In the database now: ${describeFinding(finding)}`;
      } catch (error) {
        counted = `Counting them failed: ${(error as Error).message}`;
      }
      out.push({ ...need, reason: `${need.reason} ${counted}.` });
    }
    return { needs: out, withoutRisk };
  });
}

/** The keys (decisions.ts `narrowingsWithoutRisk`) of the narrowings found without a row at risk. */
export function narrowingKeys(withoutRisk: CountedNeeds['withoutRisk']): ReadonlySet<string> {
  return new Set(withoutRisk.map((check) => backfillKey(check.table.schema, check.table.name, check.column)));
}

/** Why a narrowing was planned without --allow-destructive. */
export function withoutRiskNote(check: NarrowingCheck): string {
  const column = `${check.table.schema === 'public' ? '' : `${check.table.schema}.`}${check.table.name}.${check.column}`;
  return `Note: ${column} → ${check.to.sql}: no row in the database holds a value the new type would change or reject, ` +
    'so no --allow-destructive is needed; the steps keep that data check, and pgshift up refuses if such rows appear before they run.';
}

/** The needs of a re-plan, with the reasons counted for the same needs before it. */
export function countedReasons(needs: readonly DecisionRequest[], counted: CountedNeeds): DecisionRequest[] {
  return needs.map((need) => counted.needs.find((c) => c.rule === need.rule && c.flag === need.flag && c.reason.startsWith(need.reason)) ?? need);
}

export interface PlanTimeCheck {
  readonly step: number;
  readonly finding: Finding | null;
  /** Set when the check could not run (a timeout on a huge table): `up` still runs it. */
  readonly error?: string;
}

/** The checks of the plan's steps that mean something on today's data, in step order. */
export function planTimePrechecks(steps: readonly Step[]): Array<{ step: number; check: Precheck }> {
  const seen = new Set<string>();
  return steps.flatMap((s, i) => (s.prechecks ?? []).filter((c) => c.atPlanTime).map((check) => ({ step: i + 1, check })))
    .filter(({ check }) => {
      const key = JSON.stringify(check);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

export async function runPlanTimeChecks(databaseUrl: string, steps: readonly Step[]): Promise<PlanTimeCheck[]> {
  const checks = planTimePrechecks(steps);
  if (checks.length === 0) return [];
  return withChecker(databaseUrl, async (check) => {
    const out: PlanTimeCheck[] = [];
    for (const { step, check: c } of checks) {
      try {
        out.push({ step, finding: await check(c) });
      } catch (error) {
        out.push({ step, finding: null, error: (error as Error).message });
      }
    }
    return out;
  });
}
