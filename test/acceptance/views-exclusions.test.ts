/**
 * Views, materialized views, EXCLUDE constraints and generated STORED columns through the acceptance loop
 * (test/helpers/acceptance.ts) on a populated table: plan on one major, apply on the other, re-diff
 * empty, downs restore the catalog. The cases are test/fixtures/evolve/<name>.ts against `from`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import { loadEntityModel } from '../../src/entity-loader';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { planChanges } from '../../src/planner/plan';
import { evolveAndVerify } from '../helpers/acceptance';
import { REPO_ROOT } from '../helpers/cli';
import { CROSS_VERSIONS, openPair, type OpenPair } from '../helpers/cross-version';
import type { TestDatabase } from '../helpers/db';

const FIXTURES = 'test/fixtures/evolve';
const ROWS = 2000;

interface Case {
  readonly name: string;
  readonly from?: string;
  readonly decisions?: Partial<Decisions>;
  /** Rule ids the plan must use. */
  readonly rules: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'with-views', rules: ['create-view'] },
  { name: 'views-widen-varchar', from: 'with-views', rules: ['drop-view', 'alter-column-type', 'create-view'] },
  { name: 'views-redefined', from: 'with-views', rules: ['drop-view', 'create-index-concurrently', 'create-view'] },
  { name: 'add-exclusion', decisions: { allowDestructive: true }, rules: ['exclusion-constraint'] },
  { name: 'add-generated-column', decisions: { allowDestructive: true }, rules: ['generated-column-rewrite'] },
  { name: 'change-generated-expression', from: 'add-generated-column', decisions: { allowDestructive: true }, rules: ['generated-column-rewrite'] },
];

async function seed(db: TestDatabase): Promise<void> {
  await db.query(`INSERT INTO owners (label) SELECT 'owner ' || i FROM generate_series(1, 10) i`);
  await db.query(
    `INSERT INTO accounts (name, score, balance, note, status)
     SELECT 'n' || i, i % 100, (i * 1.25)::numeric(10,2), 'note ' || i, (CASE WHEN i % 7 = 0 THEN 'blocked' ELSE 'active' END)::account_status
     FROM generate_series(1, ${ROWS}) i`,
  );
}

describe.each(CROSS_VERSIONS)('views, exclusions and generated columns on a populated schema ($title)', (cv) => {
  let pair: OpenPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it.each(CASES)('$name', async ({ name, from, decisions, rules }) => {
    pair = await openPair('pgshift_views', cv);
    const before = await loadEntityModel(`${FIXTURES}/${from ?? 'before'}.ts`, { cwd: REPO_ROOT });
    await evolveAndVerify(pair, before.model, { ...NO_DECISIONS, allowDestructive: true });
    await seed(pair.applyDb);
    if (before.model.views?.some((v) => v.materialized)) await pair.applyDb.query('REFRESH MATERIALIZED VIEW account_scores');
    const after = await loadEntityModel(`${FIXTURES}/${name}.ts`, { cwd: REPO_ROOT });
    const result = await evolveAndVerify(pair, after.model, { ...NO_DECISIONS, ...decisions });
    const used = new Set(result.plan.trace.map((t) => t.rule));
    for (const rule of rules) expect([...used]).toContain(rule);
    const { rows } = await pair.applyOn.query('SELECT count(*)::int AS n FROM accounts');
    expect(rows[0].n).toBe(ROWS);
  });
});

describe('refused without the flag on a table that holds rows', () => {
  let pair: OpenPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it.each([
    ['add-exclusion', 'exclusion-constraint', /EXCLUDE has no NOT VALID/],
    ['add-generated-column', 'generated-column-rewrite', /table is rewritten under ACCESS EXCLUSIVE/],
  ] as const)('%s', async (name, rule, reason) => {
    pair = await openPair('pgshift_views', CROSS_VERSIONS[0]!);
    const before = await loadEntityModel(`${FIXTURES}/before.ts`, { cwd: REPO_ROOT });
    await evolveAndVerify(pair, before.model);
    const after = await loadEntityModel(`${FIXTURES}/${name}.ts`, { cwd: REPO_ROOT });
    const current = await introspect(pair.planOn, { schemas: [...after.model.schemas] });
    const desired = await cookModel(pair.planOn, after.model);
    const plan = planChanges(diffModels(current, desired).changes, { from: current, to: desired, decisions: NO_DECISIONS, targetMajor: pair.targetMajor, rowEstimates: new Map() });
    expect(plan.steps).toEqual([]);
    expect(plan.needs.map((n) => [n.rule, n.flag])).toEqual([[rule, '--allow-destructive']]);
    expect(plan.needs[0]!.reason).toMatch(reason);
  });
});
