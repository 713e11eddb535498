/**
 * Running a plan the way golang-migrate would: render the files with planFiles, apply each file's whole
 * text as ONE simple query, downs in reverse. Plus squawk on the generated files, and the "target"
 * database built straight from the entities' model to compare the migrated schema with.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { diffModels } from '../../../src/diff/diff';
import type { Change } from '../../../src/diff/change';
import { planFiles, type StepFiles } from '../../../src/emit/plan-files';
import { NO_TRANSACTION_MARKER } from '../../../src/emit/render-file';
import type { SchemaModel } from '../../../src/model/schema';
import { assembleSteps } from '../../../src/planner/assemble';
import { NO_DECISIONS, type Decisions } from '../../../src/planner/decisions';
import { planChanges, type Plan } from '../../../src/planner/plan';
import type { PendingContract } from '../../../src/planner/rule';
import { DEFAULT_TIMEOUTS } from '../../../src/planner/step';
import { createIndexSql, createTableSql, foreignKeyClause } from '../../../src/sql/column-sql';
import { ident, literal, qualified } from '../../../src/sql/quote';

export function decisions(overrides: Partial<Decisions> = {}): Decisions {
  return { ...NO_DECISIONS, batchSize: 1000, ...overrides };
}

export function planFor(from: SchemaModel, to: SchemaModel, targetMajor: number, d: Decisions = decisions(), changes?: readonly Change[]): Plan {
  const diff = changes ?? diffModels(from, to, { tableRenames: d.tableRenames, dropUnmanaged: d.allowDestructive }).changes;
  return planChanges(diff, { from, to, decisions: d, targetMajor, rowEstimates: new Map() });
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

/** Style rules that say nothing about locking or safety (see rules-common: pure style). */
// ban-char-field: squawk 2.61 (the newest whose platform packages all install) misreads `character varying` as `character`.
export const STYLE_RULES = ['prefer-robust-stmts', 'ban-char-field', 'prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity', 'prefer-text-field', 'prefer-timestamptz'];

/**
 * squawk reads one file at a time: it accepts `SET NOT NULL` only when a `VALIDATE CONSTRAINT` of a
 * `col IS NOT NULL` check precedes it in the same file. pgshift validates in the previous file on
 * purpose (VALIDATE must not share a transaction with the ADD), so the enforce file needs this exclusion.
 */
export const CROSS_FILE_NOT_NULL = 'adding-not-nullable-field';

/**
 * A lone statement in a non-transactional file (CONCURRENTLY, the backfill loop) gets its timeouts from
 * the runner's session, not from SET lines in the file: squawk's timeout rules do not apply to it.
 */
const SESSION_TIMEOUT_RULES = ['require-lock-timeout', 'require-statement-timeout'];

/** Runs squawk on the given SQL texts; returns its report (empty string when clean). */
export function squawk(texts: readonly string[], exclude: readonly string[] = []): string {
  const lone = texts.filter((t) => t.includes(NO_TRANSACTION_MARKER));
  const wrapped = texts.filter((t) => !t.includes(NO_TRANSACTION_MARKER));
  return runSquawk(wrapped, exclude) + runSquawk(lone, [...exclude, ...SESSION_TIMEOUT_RULES]);
}

function runSquawk(texts: readonly string[], exclude: readonly string[]): string {
  if (texts.length === 0) return '';
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-squawk-'));
  try {
    const paths = texts.map((text, i) => {
      const path = join(dir, `${String(i + 1).padStart(3, '0')}.sql`);
      writeFileSync(path, text);
      return path;
    });
    try {
      execFileSync(join(process.cwd(), 'node_modules/.bin/squawk'), ['--reporter=gcc', `--exclude=${[...STYLE_RULES, ...exclude].join(',')}`, ...paths], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(error);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
