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

/**
 * The catalog of the `public` schema as comparable JSON: columns by name (type, NOT NULL, default,
 * comment — not their position: a column re-added by a down comes last, and the model ignores order),
 * constraints (definition, validated, deferrable), indexes (definition, valid), enums. Stricter than
 * the model: it also sees NOT VALID constraints, INVALID indexes and leftover helpers.
 */
export async function catalogSnapshot(client: Client, schema = 'public'): Promise<unknown> {
  // Expressions print unqualified for the snapshotted schema, so two schemas compare equal.
  await client.query('BEGIN');
  await client.query(`SELECT set_config('search_path', $1, true)`, [schema]);
  const { rows } = await client.query<{ snapshot: unknown }>(`
    select json_build_object(
      'columns', (select coalesce(json_agg(x order by x->>'t', x->>'name'), '[]') from (
        select json_build_object('t', c.relname, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
          'notnull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid), 'comment', col_description(c.oid, a.attnum)) x
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped) s),
      'constraints', (select coalesce(json_agg(x order by x->>'t', x->>'name'), '[]') from (
        select json_build_object('t', c.relname, 'name', k.conname, 'def', pg_get_constraintdef(k.oid), 'valid', k.convalidated,
          'deferrable', k.condeferrable, 'deferred', k.condeferred) x
        from pg_constraint k join pg_class c on c.oid = k.conrelid
        where c.relnamespace = 'public'::regnamespace) s),
      'indexes', (select coalesce(json_agg(x order by x->>'name'), '[]') from (
        select json_build_object('name', i.relname, 'def', replace(pg_get_indexdef(i.oid), ' ON ' || quote_ident($1::text) || '.', ' ON '), 'valid', x.indisvalid, 'immediate', x.indimmediate) x
        from pg_index x join pg_class i on i.oid = x.indexrelid
        where i.relnamespace = 'public'::regnamespace) s),
      'enums', (select coalesce(json_agg(x order by x->>'name'), '[]') from (
        select json_build_object('name', t.typname, 'labels', (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)) x
        from pg_type t where t.typnamespace = 'public'::regnamespace and t.typtype = 'e') s)
    ) as snapshot`.replace(/'public'::regnamespace/g, '$1::regnamespace'), [schema]);
  await client.query('COMMIT');
  return rows[0]!.snapshot;
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
