import { describe, expect, it } from 'vitest';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { destructiveGuard } from '../../src/planner/rules/destructive-guard';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const users = withPk(table('users', [
  idColumn(),
  col('email', 'text'),
  col('nickname', 'character varying(40)', { nullable: false, comment: 'shown in the UI' }),
  col('score', 'integer', { nullable: false, default: '0' }),
]));
const without = (...names: string[]) => ({ ...users, columns: users.columns.filter((c) => !names.includes(c.name)) });
const BEFORE = `
  CREATE TABLE users (id serial PRIMARY KEY, email text, nickname varchar(40) NOT NULL, score integer NOT NULL DEFAULT 0);
  COMMENT ON COLUMN users.nickname IS 'shown in the UI';
  INSERT INTO users (email, nickname, score) SELECT 'u' || g, 'nick' || g, g FROM generate_series(1, 5000) g;`;

describe('destructive-guard', () => {
  it('refuses a dropped column without --allow-destructive, naming the flag', () => {
    const { plan } = planModels(model([users]), model([without('nickname')]), 15);
    expect(plan.steps).toEqual([]);
    expect(plan.needs).toEqual([expect.objectContaining({ rule: 'destructive-guard', flag: '--allow-destructive' })]);
    expect(plan.needs[0]!.reason).toMatch(/deletes the data of users\.nickname/);
    expect(plan.needs[0]!.wouldDo).toMatch(/contract file after every other step.*DROP COLUMN "nickname"/);
  });

  it('suggests --rename when the same table gains a column', () => {
    const renamed = { ...without('nickname'), columns: [...without('nickname').columns, col('handle', 'character varying(40)', { nullable: false })] };
    const { plan } = planModels(model([users]), model([renamed]), 15);
    // rename-column suggests the same rename from the added column's side; either flag resolves both.
    expect(plan.needs.map((n) => n.flag)).toEqual([
      '--allow-destructive (or --rename users.nickname=handle if handle is nickname renamed)',
      '--rename users.nickname=handle  (or --allow-destructive to really drop nickname)',
    ]);
  });

  it('names every refusal of a run, indexes and constraints included', () => {
    const from = model([{ ...users, indexes: [index('users_email_idx', ['email'])], checks: [{ name: 'users_score_check', expression: '(score >= 0)' }] }]);
    const { plan } = planModels(from, model([without('email')]), 15);
    expect(plan.needs.map((n) => `${n.rule}: ${n.reason.split(':')[0]}`).sort()).toEqual([
      'destructive-guard: drop check users_score_check on users',
      'destructive-guard: drop column users.email',
      'drop-index-concurrently: drop index users_email_idx on users',
    ]);
    expect(plan.needs.every((n) => n.flag.startsWith('--allow-destructive'))).toBe(true);
  });

  it('refuses dropping a table, an enum or enum labels (reached with dropUnmanaged) and passes a pure reorder', () => {
    const status = { schema: 'public', name: 'status', values: ['a', 'b', 'c'] };
    const ctx = { from: model([users]), to: model([users]), decisions: NO_DECISIONS, targetMajor: 15, rowEstimates: new Map(), newTables: new Set<string>() };
    const kinds = [
      destructiveGuard.plan({ kind: 'DropTable', table: { schema: 'public', name: 'users' }, definition: users }, ctx),
      destructiveGuard.plan({ kind: 'DropEnum', enumType: status }, ctx),
      destructiveGuard.plan({ kind: 'RebuildEnum', from: status, to: { ...status, values: ['a', 'c'] }, usages: [] }, ctx),
      destructiveGuard.plan({ kind: 'DropSchema', schema: 'legacy' }, ctx),
    ];
    expect(kinds.map((k) => k.kind)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(kinds[2]?.kind === 'refused' && kinds[2].request.reason).toMatch(/removes label\(s\) b/);
    expect(destructiveGuard.claims({ kind: 'RebuildEnum', from: status, to: { ...status, values: ['c', 'b', 'a'] }, usages: [] }, ctx)).toBe(false);
  });

  it('with the flag: contract phase, last, one file; the down re-adds the column (snapshot)', async () => {
    const { plan, files } = planModels(model([users]), model([without('nickname', 'score')]), 15, { allowDestructive: true });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ phase: 'contract', transactional: true });
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."users" ADD COLUMN "score" integer NOT NULL DEFAULT 0',
      `ALTER TABLE "public"."users" ADD COLUMN "nickname" varchar(40) NOT NULL DEFAULT ''`,
      'ALTER TABLE "public"."users" ALTER COLUMN "nickname" DROP DEFAULT',
      `COMMENT ON COLUMN "public"."users"."nickname" IS 'shown in the UI'`,
    ]);
    expect(plan.steps[0]!.downNote).toMatch(/cannot return/);
    await expectFileSnapshots(files, 'destructive-guard/drop-columns');
  });

  it('runs a drop of a NOT NULL column with the flag: the down restores the schema exactly', async () => {
    await exercise({
      before: BEFORE,
      target: 'CREATE TABLE users (id serial PRIMARY KEY, email text, score integer NOT NULL DEFAULT 0);',
      from: model([users]),
      to: model([without('nickname')]),
      decisions: { allowDestructive: true },
      checksum: "select md5(string_agg(id || email || score, ',' order by id)) as sum from users",
    });
  });

  it('runs a drop of a table and its foreign key with the flags', async () => {
    const orgs = withPk(table('orgs', [idColumn()]));
    const members = withPk(table('members', [idColumn(), col('org_id', 'integer')]), ['id']);
    const membersFk = { ...members, foreignKeys: [{ name: 'members_org_id_fkey', columns: ['org_id'], referencedTable: { schema: 'public', name: 'orgs' }, referencedColumns: ['id'], onDelete: 'NO ACTION' as const, onUpdate: 'NO ACTION' as const, deferrable: 'not deferrable' as const }] };
    await exercise({
      before: `CREATE TABLE orgs (id serial PRIMARY KEY); CREATE TABLE members (id serial PRIMARY KEY, org_id integer REFERENCES orgs (id));
        INSERT INTO orgs SELECT FROM generate_series(1, 10); INSERT INTO members (org_id) SELECT 1 + g % 10 FROM generate_series(1, 1000) g;`,
      target: 'CREATE TABLE orgs (id serial PRIMARY KEY);',
      from: model([orgs, membersFk]),
      to: model([orgs]),
      // A table no entity describes is unmanaged: the CLI drops it only with --drop-unmanaged as well.
      decisions: { allowDestructive: true, dropUnmanaged: true },
    });
  });
});
