/**
 * The acceptance loop, as golang-migrate would run it: plan → render files → send each up file's whole
 * text as one query → re-introspect → re-diff must be empty (contract steps aside) → contract files →
 * re-diff fully empty → downs in reverse → the catalog equals the one before. Every file, up and down,
 * is linted with squawk at the server's major (test/helpers/squawk.ts): clean, or the test fails.
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import { cookModel, introspect, serverVersionNum } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import { partitionByContracts } from '../../src/emit/contract-file';
import { planFiles, type StepFiles } from '../../src/emit/plan-files';
import type { SchemaModel } from '../../src/model/schema';
import { assembleSteps } from '../../src/planner/assemble';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { describeChange } from '../../src/planner/describe';
import { planChanges, type Plan } from '../../src/planner/plan';
import type { Step } from '../../src/planner/step';
import { SquawkBatch } from './squawk';

export interface EvolveResult {
  readonly plan: Plan;
  readonly files: readonly StepFiles[];
  readonly contractFiles: readonly StepFiles[];
}

export function render(steps: readonly Step[], latestVersion: number | null = null): StepFiles[] {
  return planFiles(steps, { dir: 'migrations', latestVersion, timeouts: NO_DECISIONS.timeouts, rowEstimates: new Map(), toolVersion: 'test' });
}

export async function applyUps(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of files) {
    try {
      await client.query(f.up.content);
    } catch (error) {
      throw new Error(`${f.base}.up.sql failed: ${(error as Error).message}\n${f.up.content}`);
    }
  }
}

export async function applyDowns(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of [...files].reverse()) {
    try {
      await client.query(f.down.content);
    } catch (error) {
      throw new Error(`${f.base}.down.sql failed: ${(error as Error).message}\n${f.down.content}`);
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

/**
 * Plans `current (introspected) → desired (raw entity model)` and proves the plan on the server. The
 * files go to `squawk` when given (the caller lints the batch once, at the end), else are linted now.
 */
export async function evolveAndVerify(client: Client, desiredRaw: SchemaModel, decisions: Decisions = NO_DECISIONS, squawk?: SquawkBatch): Promise<EvolveResult> {
  const before = await introspect(client, { schemas: [...desiredRaw.schemas] });
  const desired = await cookModel(client, desiredRaw);
  const diff = diffModels(before, desired, { tableRenames: decisions.tableRenames, dropUnmanaged: decisions.allowDestructive });
  const serverVersion = await serverVersionNum(client);
  const plan = planChanges(diff.changes, { from: before, to: desired, decisions, serverVersion, rowEstimates: new Map() });
  expect(plan.needs).toEqual([]);
  const files = render(plan.steps);
  const contractFiles = render(assembleSteps(plan.contracts.flatMap((c) => c.fragments)), files.length);
  if (squawk) squawk.add([...files, ...contractFiles], serverVersion);
  else new SquawkBatch().add([...files, ...contractFiles], serverVersion).expectClean();
  await applyUps(client, files);

  const afterExpand = await introspect(client, { schemas: [...desiredRaw.schemas] });
  const rediff = diffModels(afterExpand, desired, { dropUnmanaged: decisions.allowDestructive });
  const pending = plan.contracts.map((c) => ({ ...c, expandVersion: 1 }));
  const { rest } = partitionByContracts(rediff.changes, pending);
  expect(rest.map(describeChange), 're-diff after the plan').toEqual([]);

  if (contractFiles.length > 0) {
    await applyUps(client, contractFiles);
    const afterContract = await introspect(client, { schemas: [...desiredRaw.schemas] });
    expect(diffModels(afterContract, desired, { dropUnmanaged: decisions.allowDestructive }).changes.map(describeChange), 're-diff after contract').toEqual([]);
    await applyDowns(client, contractFiles);
  }
  await applyDowns(client, files);
  expect(columnOrderFree(await introspect(client, { schemas: [...desiredRaw.schemas] })), 'catalog after the downs').toEqual(columnOrderFree(before));
  // Leave the database in the planned state for callers that check data afterwards.
  await applyUps(client, files);
  return { plan, files, contractFiles };
}
