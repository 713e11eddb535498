/**
 * Running a plan the way golang-migrate would: render the files with planFiles, apply each file's whole
 * text as ONE simple query, downs in reverse. Plus the "target"
 * database built straight from the entities' model to compare the migrated schema with.
 */
import type { Client } from 'pg';
import { planFiles, type StepFiles } from '../../../src/emit/plan-files';
import type { SchemaModel } from '../../../src/model/schema';
import { assembleSteps } from '../../../src/planner/assemble';
import { NO_DECISIONS, type Decisions } from '../../../src/planner/decisions';
import { planChanges, type Plan } from '../../../src/planner/plan';
import type { Change } from '../../../src/diff/change';
import type { PendingContract } from '../../../src/planner/contracts';
import { DEFAULT_TIMEOUTS } from '../../../src/planner/step';
import { createIndexSql, createTableSql, foreignKeyClause } from '../../../src/sql/column-sql';
import { ident, literal, qualified } from '../../../src/sql/quote';
import { planState } from '../../helpers/plan';

export function decisions(overrides: Partial<Decisions> = {}): Decisions {
  return { ...NO_DECISIONS, batchSize: 1000, ...overrides };
}

/** Plans as production does (test/helpers/plan.ts); `changes` given: exactly those changes, through the planner alone. */
export function planFor(from: SchemaModel, to: SchemaModel, targetMajor: number, d: Decisions = decisions(), changes?: readonly Change[]): Plan {
  if (changes) return planChanges(changes, { from, to, decisions: d, targetMajor, rowEstimates: new Map() });
  return planState(from, to, { targetMajor, decisions: d }).plan;
}

const RENDER = { dir: 'migrations', timeouts: DEFAULT_TIMEOUTS, rowEstimates: new Map<string, number>(), toolVersion: 'test' };

export function render(plan: Plan): StepFiles[] {
  return planFiles(plan.steps, { ...RENDER, latestVersion: 0 });
}

/** What `gen diff --contract` writes for the plan's pending contracts, numbered after `after`. */
export function renderContracts(contracts: readonly PendingContract[], after: number): StepFiles[] {
  return planFiles(assembleSteps(contracts.flatMap((c) => c.fragments)), { ...RENDER, latestVersion: after });
}

export async function applyUp(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const file of files) await client.query(file.up.content);
}

export async function applyDown(client: Client, files: readonly StepFiles[]): Promise<void> {
  for (const file of [...files].reverse()) await client.query(file.down.content);
}

/** The files' text, one after the other, for snapshots. */
export function filesText(files: readonly StepFiles[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    out[`${f.base}.up.sql`] = f.up.content;
    out[`${f.base}.down.sql`] = f.down.content;
  }
  return out;
}

/** Builds the entities' schema directly (what a fresh database migrated from scratch would hold). */
export async function createModel(client: Client, model: SchemaModel): Promise<void> {
  for (const e of model.enums) await client.query(`CREATE TYPE ${qualified(e)} AS ENUM (${e.values.map(literal).join(', ')})`);
  for (const t of model.tables) {
    await client.query(createTableSql(t));
    for (const i of t.indexes) await client.query(createIndexSql(t, i, false));
  }
  for (const t of model.tables) {
    for (const fk of t.foreignKeys) await client.query(`ALTER TABLE ${qualified(t)} ADD CONSTRAINT ${ident(fk.name)} ${foreignKeyClause(fk)}`);
  }
}

export async function serverVersionNum(client: Client): Promise<number> {
  return Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
}

export async function checksum(client: Client, sql: string): Promise<string> {
  return (await client.query<{ sum: string }>(`SELECT md5(coalesce(string_agg(v, ',' ORDER BY k), '')) AS sum FROM (${sql}) AS s(k, v)`)).rows[0]!.sum;
}
