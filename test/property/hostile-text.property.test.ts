/**
 * Property H (issue 9), end to end on a real server: entities whose names, defaults, comments, enum
 * labels and check / index-where constants are hostile text (quotes, backslashes, `$$`, `--`, `* /`,
 * line breaks, `;`, unicode — test/property/hostile-spec.ts) go through the production path: TypeORM
 * metadata → the loader's mapping and expression check → introspect + cook → planFromState (the
 * decision check included) → the rendered files, exactly as `gen diff` writes them. Then:
 *  - every file parses (libpg-query) to exactly the planned statements, after its two SET LOCALs:
 *    no header line, name or value became SQL, and no statement was split or merged;
 *  - applied as golang-migrate does (each file's text as one query), the catalog holds exactly the
 *    intended names (tables, columns, indexes, checks, enum, labels) and comments, and a row inserted
 *    with only its id reads back every declared default exactly;
 *  - the re-diff is empty, and the downs restore the catalog.
 * Twice per run: empty → first spec (new tables), then first → second (columns, checks, indexes and an
 * enum label added to existing, populated tables: CONCURRENTLY, NOT VALID + VALIDATE, ADD VALUE).
 *
 * Replay: PGSHIFT_PROPERTY_SEED=<seed> PGSHIFT_PROPERTY_PATH=<path> npx vitest run test/property/hostile-text.property.test.ts
 * Explore: PGSHIFT_PROPERTY_SEED=random PGSHIFT_PROPERTY_RUNS=300 npx vitest run test/property/hostile-text.property.test.ts
 */
import fc from 'fast-check';
import { loadModule, parseSync } from 'libpg-query';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspect } from '../../src/catalog';
import { planFiles, type StepFiles } from '../../src/emit/plan-files';
import { mapMetadataToModel } from '../../src/entity-loader';
import { checkEntityExpressions } from '../../src/entity-loader/check-expressions';
import { buildMetadataOffline } from '../../src/entity-loader/offline-metadata';
import { bundledRuntime, rememberRuntime } from '../../src/entity-loader/typeorm-runtime';
import type { SchemaModel } from '../../src/model/schema';
import { planFromState, readState, type GenerateResult } from '../../src/pipeline/generate';
import { majorOf } from '../../src/planner/target-major';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { describeChange } from '../../src/planner/describe';
import type { Step } from '../../src/planner/step';
import { ident } from '../../src/sql/quote';
import { applyDowns, applyUps, columnOrderFree } from '../helpers/acceptance';
import { REPO_ROOT } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { entitySchemas, expectedDefaults, hostileSpec, labelsOf, type HostileSpec } from './hostile-spec';
import { PROPERTY_TEST_TIMEOUT, propertyParameters } from './parameters';

/** The production mapping of TypeORM metadata (what loadEntityModel does after loading the files). */
async function modelOf(spec: HostileSpec, second: boolean): Promise<SchemaModel> {
  const runtime = bundledRuntime();
  const dataSource = new DataSource({ type: 'postgres', entities: entitySchemas(spec, second) });
  await buildMetadataOffline(dataSource, runtime, REPO_ROOT, 'hostile entities');
  rememberRuntime(dataSource, runtime);
  await checkEntityExpressions(dataSource, REPO_ROOT);
  return mapMetadataToModel(dataSource);
}

/** `gen diff` against a live database: the same reading, planning and rendering. */
async function genDiff(client: Client, desiredRaw: SchemaModel, latestVersion: number | null): Promise<{ result: GenerateResult; files: StepFiles[] }> {
  const { current, desired, serverVersion } = await readState(client, desiredRaw);
  const target = { major: majorOf(serverVersion), source: 'live server' as const };
  const state = { mode: 'live' as const, migrations: [], typeormMigrations: [], serverVersion, target, notes: [], current, desired, pendingContracts: [], rowEstimates: new Map<string, number>(), timings: {} };
  const result = planFromState(state, NO_DECISIONS, []);
  const files = planFiles(result.plan.steps, { dir: 'migrations', latestVersion, timeouts: NO_DECISIONS.timeouts, rowEstimates: new Map(), toolVersion: 'fuzz', targetMajor: target.major });
  return { result, files };
}

const POSITIONS = new Set(['location', 'stmt_location', 'stmt_len']);

/** A parse tree without source positions: what two spellings of the same statements share. */
function tree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tree);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !POSITIONS.has(key)).map(([key, child]) => [key, tree(child)]));
}

const statementsOf = (sql: string): unknown[] => (parseSync(sql).stmts ?? []).map((s) => tree(s.stmt));

function expectFileParsesToPlan(step: Step, files: StepFiles): void {
  for (const [content, planned] of [[files.up.content, step.up], [files.down.content, step.down]] as const) {
    const parsed = statementsOf(content);
    const expected = planned.map((s) => {
      const one = statementsOf(s.sql);
      expect(one, `a planned statement is one statement: ${s.sql}`).toHaveLength(1);
      return one[0];
    });
    const timeouts = step.transactional ? 2 : 0;
    expect(parsed.length, content).toBe(timeouts + expected.length);
    for (const set of parsed.slice(0, timeouts)) expect(set).toMatchObject({ VariableSetStmt: { is_local: true } });
    expect(parsed.slice(timeouts), content).toEqual(expected);
  }
}

/** Names, labels and comments exactly as the catalog holds them. */
async function catalogFacts(client: Client, spec: HostileSpec) {
  const tables = spec.tables.map((t) => t.name);
  const { rows: columns } = await client.query(
    `SELECT c.relname AS table, a.attname AS column, col_description(c.oid, a.attnum) AS comment
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY ($1) ORDER BY 1, 2`, [tables]);
  const { rows: indexes } = await client.query(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary ORDER BY 1`);
  const { rows: checks } = await client.query(
    `SELECT conname AS name FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace ORDER BY 1`);
  const { rows: labels } = await client.query(
    `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      WHERE t.typname = $1 AND t.typnamespace = 'public'::regnamespace ORDER BY e.enumsortorder`, [spec.enumName]);
  return { columns, indexes: indexes.map((r) => r.name), checks: checks.map((r) => r.name), labels: labels.map((r) => r.label) };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function intendedFacts(spec: HostileSpec, second: boolean) {
  const comment = (text: string) => (text === '' ? null : text);
  const columns = spec.tables.flatMap((t) => [
    { table: t.name, column: 'id', comment: null },
    { table: t.name, column: t.text.name, comment: comment(t.text.comment) },
    { table: t.name, column: t.tags.name, comment: null },
    { table: t.name, column: t.mood.name, comment: null },
    ...(second ? [{ table: t.name, column: t.added.column.name, comment: comment(t.added.column.comment) }] : []),
  ]).sort((a, b) => byText(a.table, b.table) || byText(a.column, b.column));
  return {
    columns,
    indexes: spec.tables.flatMap((t) => (second ? [t.index.name, t.added.index.name] : [t.index.name])).sort(byText),
    checks: spec.tables.flatMap((t) => (second ? [t.check.name, t.added.check.name] : [t.check.name])).sort(byText),
    labels: labelsOf(spec, second),
  };
}

/** Inserts a row with only its id and compares it with the declared defaults. */
async function expectDefaults(client: Client, spec: HostileSpec, second: boolean, id: number): Promise<void> {
  for (const table of spec.tables) {
    const { rows } = await client.query(`INSERT INTO ${ident(table.name)} (id) VALUES ($1) RETURNING *`, [id]);
    const { id: _id, ...values } = rows[0];
    expect(values, `defaults of ${JSON.stringify(table.name)}`).toEqual(expectedDefaults(spec, table, second));
  }
}

/** Plans `desired`, checks and applies the files, checks the catalog; returns the files for their downs. */
async function planAndApply(client: Client, spec: HostileSpec, second: boolean, latest: number | null): Promise<StepFiles[]> {
  const desiredRaw = await modelOf(spec, second);
  const { result, files } = await genDiff(client, desiredRaw, latest);
  expect(result.plan.needs).toEqual([]);
  expect(result.plan.contracts).toEqual([]);
  result.plan.steps.forEach((step, i) => expectFileParsesToPlan(step, files[i]!));
  await applyUps(client, files);
  const again = await genDiff(client, desiredRaw, null);
  expect(again.result.changes.map(describeChange), 're-diff after the plan').toEqual([]);
  const facts = await catalogFacts(client, spec);
  expect(facts).toEqual(intendedFacts(spec, second));
  return files;
}

describe('hostile names and values survive gen diff → apply → re-diff → down (property)', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    await loadModule();
    db = await createTestDatabase('pgshift_hostile');
    client = await db.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('names, defaults, comments, labels and expression constants are exactly what the entities say', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSpec, async (spec) => {
        await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
        const empty = await introspect(client, { schemas: ['public'] });
        const first = await planAndApply(client, spec, false, null);
        await expectDefaults(client, spec, false, 1);
        const before = await introspect(client, { schemas: ['public'] });

        const second = await planAndApply(client, spec, true, first.length);
        // The existing row got the added column's default too; a new row gets every default.
        for (const table of spec.tables) {
          const { rows } = await client.query(`SELECT ${ident(table.added.column.name)} AS added FROM ${ident(table.name)} WHERE id = 1`);
          expect(rows).toEqual([{ added: table.added.column.default }]);
        }
        await expectDefaults(client, spec, true, 2);

        await applyDowns(client, second);
        expect(columnOrderFree(await introspect(client, { schemas: ['public'] })), 'catalog after the second plan\'s downs').toEqual(columnOrderFree(before));
        await applyDowns(client, first);
        expect(await introspect(client, { schemas: ['public'] }), 'catalog after the first plan\'s downs').toEqual(empty);
      }),
      propertyParameters(12),
    );
  }, PROPERTY_TEST_TIMEOUT);
});
