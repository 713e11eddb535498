/**
 * Shared by the rules-safe tests: plan two models, render the golang-migrate files, apply them to a
 * real database exactly as golang-migrate does (each file's whole text as ONE query), snapshot the
 * catalog, and lint the files with squawk.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { diffModels } from '../../src/diff/diff';
import { planFiles, type StepFiles } from '../../src/emit/plan-files';
import type { SchemaModel } from '../../src/model/schema';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { planChanges, type Plan } from '../../src/planner/plan';
import type { Rule } from '../../src/planner/rule';
import { RULES } from '../../src/planner/rules';

const run = promisify(execFile);

export interface Planned {
  readonly plan: Plan;
  readonly files: StepFiles[];
}

export function planModels(from: SchemaModel, to: SchemaModel, targetMajor: number, decisions: Partial<Decisions> = {}, rules: readonly Rule[] = RULES): Planned {
  const d: Decisions = { ...NO_DECISIONS, ...decisions };
  const { changes } = diffModels(from, to, { dropUnmanaged: d.allowDestructive });
  const plan = planChanges(changes, { from, to, decisions: d, targetMajor, rowEstimates: new Map() }, rules);
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

/** Style rules that say nothing about locking (see the rules-safe notes). */
export const SQUAWK_STYLE_RULES = [
  'prefer-robust-stmts', 'prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity',
  'prefer-text-field', 'prefer-timestamp-tz',
];

export interface SquawkViolation {
  readonly file: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * squawk lints one file at a time, so it cannot see that a `SET NOT NULL` is proven by a
 * `CHECK (col IS NOT NULL)` validated in an EARLIER file (PG 12+ then skips the scan). Such a finding is
 * dropped only when that is literally the case: the file drops the helper check, and an earlier file
 * validated it.
 */
function provenNotNull(v: SquawkViolation, files: readonly StepFiles[]): boolean {
  if (v.rule !== 'adding-not-nullable-field') return false;
  const at = files.findIndex((f) => `${f.base}.up.sql` === v.file);
  const helpers = [...files[at]!.up.content.matchAll(/DROP CONSTRAINT ("pgshift_nn_[^"]+")/g)].map((m) => m[1]!);
  return helpers.length > 0 && helpers.every((h) => files.slice(0, at).some((f) => f.up.content.includes(`VALIDATE CONSTRAINT ${h};`)));
}

/**
 * Runs squawk on every up file. Transactional files are linted as golang-migrate runs them (one
 * implicit transaction: --assume-in-transaction). A lone CONCURRENTLY / committing DO statement gets its
 * timeouts from the runner's session, so the timeout rules are excluded for non-transactional files.
 */
export async function squawk(files: readonly StepFiles[], extraExcludes: readonly string[] = []): Promise<SquawkViolation[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-squawk-'));
  try {
    const groups = new Map<boolean, string[]>([[true, []], [false, []]]);
    for (const f of files) {
      const path = join(dir, `${f.base}.up.sql`);
      writeFileSync(path, f.up.content);
      groups.get(!f.up.content.includes('-- pgshift:no-transaction'))!.push(path);
    }
    const out: SquawkViolation[] = [];
    for (const [transactional, paths] of groups) {
      if (paths.length === 0) continue;
      const exclude = [...SQUAWK_STYLE_RULES, ...extraExcludes, ...(transactional ? [] : ['require-lock-timeout', 'require-statement-timeout'])];
      const args = ['--reporter', 'json', `--exclude=${exclude.join(',')}`, ...(transactional ? ['--assume-in-transaction'] : []), ...paths];
      // squawk exits 1 when it reports something; anything without a JSON report is a real failure.
      const stdout = await run(join(process.cwd(), 'node_modules/.bin/squawk'), args).then(
        (r) => r.stdout,
        (e: { stdout?: string }) => {
          if (!e.stdout?.trim().startsWith('[')) throw e;
          return e.stdout;
        },
      );
      const parsed = JSON.parse(stdout) as Array<{ file: string; rule_name: string; message: string }>;
      for (const v of parsed) out.push({ file: basename(v.file), rule: v.rule_name, message: v.message });
    }
    return out.filter((v) => !provenNotNull(v, files));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each rendered file as a real `.sql` snapshot under `__snapshots__/<dir>/` (next to the test file). */
export async function expectFileSnapshots(files: readonly StepFiles[], dir: string): Promise<void> {
  const { expect } = await import('vitest');
  for (const f of files) {
    await expect(f.up.content).toMatchFileSnapshot(`__snapshots__/${dir}/${f.base}.up.sql`);
    await expect(f.down.content).toMatchFileSnapshot(`__snapshots__/${dir}/${f.base}.down.sql`);
  }
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
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
