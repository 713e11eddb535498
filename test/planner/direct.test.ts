import { describe, expect, it } from 'vitest';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { ruleFor } from '../../src/planner/plan';
import { defineRule, type PlanContext } from '../../src/planner/rule';
import { direct } from '../../src/planner/rules/direct';
import { decisions, planFor } from './support/expand-harness';

const orgs = withPk(table('orgs', [idColumn(), col('name', 'text', { nullable: false })]));
const projects = {
  ...withPk(table('projects', [idColumn(), col('org_id', 'integer', { nullable: false }), col('slug', 'text', { nullable: false }), col('token', 'uuid', { nullable: false, default: 'gen_random_uuid()' })])),
  indexes: [index('projects_org_id_idx', ['org_id'])],
  uniques: [{ name: 'projects_slug_key', columns: ['slug'], deferrable: 'not deferrable' as const }],
  checks: [{ name: 'projects_slug_check', expression: "(slug <> ''::text)" }],
  foreignKeys: [{ name: 'projects_org_id_fkey', columns: ['org_id'], referencedTable: { schema: 'public', name: 'orgs' }, referencedColumns: ['id'], onDelete: 'CASCADE' as const, onUpdate: 'NO ACTION' as const, deferrable: 'not deferrable' as const }],
};

describe('a new table with a foreign key, an index, a unique, a check and a volatile default', () => {
  it('is all direct, in one transactional file (snapshot)', async () => {
    const { plan, files } = planModels(model([orgs]), model([orgs, projects]), 15);
    expect(plan.trace.every((t) => t.rule === 'direct')).toBe(true);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.transactional).toBe(true);
    await expectFileSnapshots(files, 'new-table-direct/projects');
  });

  it('runs next to an existing, populated table', async () => {
    await exercise({
      before: "CREATE TABLE orgs (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO orgs (name) SELECT 'o' || g FROM generate_series(1, 1000) g;",
      target: `CREATE TABLE orgs (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE projects (id serial PRIMARY KEY, org_id integer NOT NULL REFERENCES orgs (id) ON DELETE CASCADE, slug text NOT NULL,
          token uuid NOT NULL DEFAULT gen_random_uuid(), CONSTRAINT projects_slug_key UNIQUE (slug), CONSTRAINT projects_slug_check CHECK (slug <> ''));
        CREATE INDEX projects_org_id_idx ON projects (org_id);`,
      from: model([orgs]),
      to: model([orgs, projects]),
    });
  });
});

describe('direct takes what no rule claims; rules never depend on their order', () => {
  const users = withPk(table('users', [idColumn(), col('email', 'text')]));
  const ctx: PlanContext = { from: model([users]), to: model([users]), decisions: NO_DECISIONS, targetMajor: 18, rowEstimates: new Map(), newTables: new Set() };
  const comment = { kind: 'SetColumnComment', table: { schema: 'public', name: 'users' }, columnName: 'email', from: null, to: 'mail' } as const;

  it('plans a change no rule claims', () => {
    expect(ruleFor(comment, ctx).id).toBe('direct');
    expect(planFor(model([users]), model([{ ...users, comment: 'people' }]), 18).trace.map((t) => t.rule)).toEqual(['direct']);
  });

  it('reports two rules that claim the same change, in whatever order they are registered', () => {
    const grabby = (id: 'change-default' | 'enum-add-value') => defineRule({ id, kinds: ['SetColumnComment'], claims: () => true, plan: () => ({ kind: 'plan', fragments: [] }) });
    expect(() => ruleFor(comment, ctx, [grabby('change-default'), grabby('enum-add-value'), direct])).toThrow(/all claim/);
    expect(() => ruleFor(comment, ctx, [direct, grabby('enum-add-value'), grabby('change-default')])).toThrow(/all claim/);
  });

  it('leaves an added NOT NULL column that may be a rename to the rename question', () => {
    const before = model([withPk(table('users', [idColumn(), col('full_name', 'text')]))]);
    const after = model([withPk(table('users', [idColumn(), col('name', 'text', { nullable: false })]))]);
    const rules = planFor(before, after, 18, decisions()).trace.map((t) => `${t.change.kind}:${t.rule}`);
    expect(rules).toContain('AddColumn:rename-column');
  });
});
