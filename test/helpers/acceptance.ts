/**
 * The acceptance loop, as golang-migrate would run it: plan → render files → send each up file's whole
 * text as one query → re-introspect → re-diff must be empty (contract steps aside) → contract files →
 * re-diff fully empty → downs in reverse → the catalog equals the one before.
 *
 * Given a CrossPair (test/helpers/cross-version.ts), the plan is made on one server (the shadow: its
 * catalog, its cooking of the entity expressions) for a target major and proven on the other; the
 * shadow then gets the same ups (the replay of the next run) and must re-diff empty too (`check`).
 * Every file, up and down, is linted with squawk at the target major (test/helpers/squawk.ts): clean,
 * or the test fails.
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import { cookModel, introspect, serverVersionNum } from '../../src/catalog';
import { planFiles, type StepFiles } from '../../src/emit/plan-files';
import type { SchemaModel } from '../../src/model/schema';
import { assembleSteps } from '../../src/planner/assemble';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { describeChange } from '../../src/planner/describe';
import type { Plan } from '../../src/planner/plan';
import type { Step } from '../../src/planner/step';
import { majorOf } from '../../src/planner/target-major';
import type { CrossPair } from './cross-version';
import { planState } from './plan';
import { SquawkBatch } from './squawk';

export interface EvolveResult {
  readonly plan: Plan;
  readonly files: readonly StepFiles[];
  readonly contractFiles: readonly StepFiles[];
}

export function render(steps: readonly Step[], latestVersion: number | null = null, targetMajor?: number): StepFiles[] {
  return planFiles(steps, { dir: 'migrations', latestVersion, timeouts: NO_DECISIONS.timeouts, rowEstimates: new Map(), toolVersion: 'test', targetMajor });
}

export async function applyUps(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of files) {
    try {
      await client.query(f.up.content);
    } catch (error) {
      throw new Error(`${f.base}.up.sql failed: ${(error as Error).message}\n${f.up.content}`, { cause: error });
    }
  }
}

export async function applyDowns(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of [...files].reverse()) {
    try {
      await client.query(f.down.content);
    } catch (error) {
      throw new Error(`${f.base}.down.sql failed: ${(error as Error).message}\n${f.down.content}`, { cause: error });
    }
  }
}

/**
 * A down that re-creates a dropped column can only append it: Postgres has no way to place a column
 * (short of rewriting the table). Column *position* is the one thing a down cannot restore, so the
 * comparison ignores it; everything else must be identical.
 */
export function columnOrderFree(model: SchemaModel): SchemaModel {
  return { ...model, tables: model.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) })) };
}

async function crossPair(on: Client | CrossPair): Promise<CrossPair> {
  if ('planOn' in on) return on;
  return { planOn: on, applyOn: on, targetMajor: majorOf(await serverVersionNum(on)) };
}

/**
 * What `pgshift check` reports after the plan ran: the changes left, the plan's pending contracts (when
 * given) explaining theirs. The renames and backfills are spent; the drop flags still hold.
 */
function rediff(current: SchemaModel, desired: SchemaModel, targetMajor: number, decisions: Decisions, pending: Plan['contracts'] = []): string[] {
  const flags: Decisions = { ...NO_DECISIONS, allowDestructive: decisions.allowDestructive, dropUnmanaged: decisions.dropUnmanaged };
  return planState(current, desired, { targetMajor, decisions: flags, pendingContracts: pending }).changes.map(describeChange);
}

/** The shadow's re-diff after it replayed the ups: what `pgshift check` sees. */
async function expectShadowInSync(pair: CrossPair, desiredRaw: SchemaModel, plan: Plan, decisions: Decisions): Promise<void> {
  const schemas = [...desiredRaw.schemas];
  const current = await introspect(pair.planOn, { schemas });
  const left = rediff(current, await cookModel(pair.planOn, desiredRaw), pair.targetMajor, decisions, plan.contracts);
  expect(left, 're-diff on the shadow after replaying the plan').toEqual([]);
}

/**
 * Plans `current (introspected) → desired (raw entity model)` and proves the plan on the server — or,
 * given a CrossPair, plans on one server for its target major and proves it on the other. The files go
 * to `squawk` when given (the caller lints the batch once, at the end), else are linted now.
 */
export async function evolveAndVerify(on: Client | CrossPair, desiredRaw: SchemaModel, decisions: Decisions = NO_DECISIONS, squawk?: SquawkBatch): Promise<EvolveResult> {
  const pair = await crossPair(on);
  const client = pair.applyOn;
  const planBefore = await introspect(pair.planOn, { schemas: [...desiredRaw.schemas] });
  const before = pair.planOn === client ? planBefore : await introspect(client, { schemas: [...desiredRaw.schemas] });
  const planDesired = await cookModel(pair.planOn, desiredRaw);
  // The desired model as the applying server cooks it: what `check --database-url` there compares with.
  let desired = pair.planOn === client ? planDesired : await cookModel(client, desiredRaw);
  const { plan } = planState(planBefore, planDesired, { targetMajor: pair.targetMajor, decisions });
  expect(plan.needs).toEqual([]);
  const files = render(plan.steps, null, pair.targetMajor);
  const contractFiles = render(assembleSteps(plan.contracts.flatMap((c) => c.fragments)), files.length, pair.targetMajor);
  if (squawk) squawk.add([...files, ...contractFiles], pair.targetMajor);
  else new SquawkBatch().add([...files, ...contractFiles], pair.targetMajor).expectClean();
  await applyUps(client, files);

  const afterExpand = await introspect(client, { schemas: [...desiredRaw.schemas] });
  // `check` cooks the entities after the replay: a view that reads a view the plan creates only cooks
  // once that one exists (before, it stays raw and is created as given).
  if (desiredRaw.views) desired = await cookModel(client, desiredRaw);
  expect(rediff(afterExpand, desired, pair.targetMajor, decisions, plan.contracts), 're-diff after the plan').toEqual([]);

  if (contractFiles.length > 0) {
    await applyUps(client, contractFiles);
    const afterContract = await introspect(client, { schemas: [...desiredRaw.schemas] });
    expect(rediff(afterContract, desired, pair.targetMajor, decisions), 're-diff after contract').toEqual([]);
    await applyDowns(client, contractFiles);
  }
  await applyDowns(client, files);
  expect(columnOrderFree(await introspect(client, { schemas: [...desiredRaw.schemas] })), 'catalog after the downs').toEqual(columnOrderFree(before));
  // Leave the database in the planned state for callers that check data afterwards.
  await applyUps(client, files);
  if (pair.planOn !== client) {
    await applyUps(pair.planOn, files);
    await expectShadowInSync(pair, desiredRaw, plan, decisions);
  }
  return { plan, files, contractFiles };
}
