/**
 * Shared by the rules-safe tests: plan two models, render the golang-migrate files, apply them to a
 * real database exactly as golang-migrate does (each file's whole text as ONE query), snapshot the
 * catalog, and lint the files with squawk.
 */
import type { Client } from 'pg';
import { diffModels } from '../../src/diff/diff';
import { planFiles, type StepFiles } from '../../src/emit/plan-files';
import type { SchemaModel } from '../../src/model/schema';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { planChanges, type Plan } from '../../src/planner/plan';
import type { RegisteredRule } from '../../src/planner/rule';
import { planState } from '../helpers/plan';
import { SquawkBatch, type SquawkFinding } from '../helpers/squawk';

export interface Planned {
  readonly plan: Plan;
  readonly files: StepFiles[];
}

/**
 * Plans as production does (test/helpers/plan.ts). `rules` is for the harness's own negative control
 * only: a rule set production never runs, so the plan comes from the planner with just those rules.
 */
export function planModels(from: SchemaModel, to: SchemaModel, targetMajor: number, decisions: Partial<Decisions> = {}, rules?: readonly RegisteredRule[]): Planned {
  const d: Decisions = { ...NO_DECISIONS, ...decisions };
  const plan = rules
    ? planChanges(diffModels(from, to, { columnRenames: d.columnRenames, tableRenames: d.tableRenames }).changes, { from, to, decisions: d, targetMajor, rowEstimates: new Map() }, rules)
    : planState(from, to, { targetMajor, decisions: d }).plan;
  const files = planFiles(plan.steps, { dir: 'migrations', latestVersion: null, timeouts: d.timeouts, rowEstimates: new Map(), toolVersion: 'test' });
  return { plan, files };
}

/** Every file pair as one text, for snapshots: `-- FILE <base>.up.sql` then its content. */
export function filesText(files: readonly StepFiles[], direction: 'up' | 'down'): string {
  return files.map((f) => `-- FILE ${f.base}.${direction}.sql\n${(direction === 'up' ? f.up : f.down).content}`).join('\n');
}

export async function serverVersion(client: Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
  return Number(rows[0]!.v);
}

export async function applyUp(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of files) await client.query(f.up.content);
}

export async function applyDown(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const f of [...files].reverse()) await client.query(f.down.content);
}

/** squawk over every up and down file, as test/helpers/squawk.ts runs it (no exclusions). */
export function squawk(files: readonly StepFiles[], serverVersion: number): SquawkFinding[] {
  return new SquawkBatch().add(files, serverVersion).findings();
}

/** Each rendered file as a real `.sql` snapshot under `__snapshots__/<dir>/` (next to the test file). */
export async function expectFileSnapshots(files: readonly StepFiles[], dir: string): Promise<void> {
  const { expect } = await import('vitest');
  for (const f of files) {
    await expect(f.up.content).toMatchFileSnapshot(`__snapshots__/${dir}/${f.base}.up.sql`);
    await expect(f.down.content).toMatchFileSnapshot(`__snapshots__/${dir}/${f.base}.down.sql`);
  }
}

/** Polls `sql` (returning one row with `ok`) until true, or fails after `ms`. */
export async function waitFor(client: Client, sql: string, ms = 10_000): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const { rows } = await client.query<{ ok: boolean }>(sql);
    if (rows[0]?.ok) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for: ${sql}`);
}
