import { describe, expect, it } from 'vitest';
import { planFiles } from '../../src/emit/plan-files';
import { decisions, filesText, planFor, render, renderContracts } from './support/expand-harness';
import { runScenario } from './support/scenario';
import { col, idColumn, model, table, withPk } from '../helpers/model';

const email = col('email', 'character varying(255)', { nullable: false });
const before = model([withPk(table('users', [idColumn(), email]))]);
const after = model([withPk(table('users', [idColumn(), email, col('nickname', 'text', { nullable: false })]))]);
const withValue = (value: string) => decisions({ backfills: new Map([['public.users.nickname', value]]) });
const SEED = ["INSERT INTO users (email) SELECT 'User' || g || '@Example.io' FROM generate_series(1, 8000) g"];
const EMAILS = 'SELECT id, email FROM users WHERE id <= 8000';

describe('add-required-column (pure)', () => {
  it('asks for the value of existing rows, naming the exact flag', () => {
    const plan = planFor(before, after, 15);
    expect(plan.steps).toEqual([]);
    expect(plan.needs).toHaveLength(1);
    expect(plan.needs[0]).toMatchObject({ rule: 'add-required-column', flag: '--backfill users.nickname=<SQL expression>' });
    expect(plan.needs[0]!.reason).toContain('NOT NULL without a default');
  });

  it('adds a constant in one instant statement and leaves the default to the contract', () => {
    const plan = planFor(before, after, 15, withValue("'anonymous'"));
    expect(plan.trace.map((t) => t.rule)).toEqual(['add-required-column']);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual([`ALTER TABLE "public"."users" ADD COLUMN "nickname" text NOT NULL DEFAULT 'anonymous'`]);
    expect(plan.contracts[0]!.covers).toEqual([{ kind: 'SetDefault', table: { schema: 'public', name: 'users' }, column: 'nickname' }]);
  });

  it('fills other expressions in batches, then NOT NULL via a validated check', () => {
    const plan = planFor(before, after, 15, withValue("'user-' || md5('seed')"));
    expect(plan.steps.map((s) => [s.phase, s.content, s.transactional])).toEqual([
      ['expand', 'schema', true], ['backfill', 'data', false], ['expand', 'schema', true], ['expand', 'schema', true], ['expand', 'schema', true],
    ]);
    expect(plan.steps[1]!.up[0]!.sql).toContain('COMMIT');
    expect(plan.steps[2]!.up[0]!.sql).toContain('CHECK ("nickname" IS NOT NULL) NOT VALID');
    expect(plan.steps[3]!.up[0]!.lock).toBe('SHARE UPDATE EXCLUSIVE');
  });

  it('uses PG 18 NOT NULL … NOT VALID on PG 18', () => {
    const plan = planFor(before, after, 18, withValue('lower(email)'));
    expect(plan.steps.map((s) => s.up.map((u) => u.sql.split('\n')[0]))).toContainEqual(['ALTER TABLE "public"."users" ADD CONSTRAINT "users_nickname_not_null" NOT NULL "nickname" NOT VALID']);
    expect(plan.steps).toHaveLength(4);
  });

  it('refuses a non-constant value on a table without a primary key, and says which flag helps', () => {
    const noPk = (m: typeof before) => model(m.tables.map((t) => ({ ...t, primaryKey: null })));
    const plan = planFor(noPk(before), noPk(after), 15, withValue('lower(email)'));
    expect(plan.needs[0]!.reason).toContain('has none');
    expect(plan.needs[0]!.flag).toContain('--backfill users.nickname=<constant>');
  });

  it('leaves columns with a default, nullable ones and new tables to other rules', () => {
    const withDefault = model([withPk(table('users', [idColumn(), email, col('nickname', 'text', { nullable: false, default: "'x'::text" })]))]);
    expect(planFor(before, withDefault, 15).trace.map((t) => t.rule)).toEqual(['direct']);
    expect(planFor(model([]), after, 15).trace.map((t) => t.rule)).toEqual(['direct']);
  });

  it('renders reviewable SQL files (snapshots)', async () => {
    for (const [name, value, version] of [['constant', "'anonymous'", 15], ['expression', "'user-' || md5('seed')", 15], ['from-columns-pg18', 'lower(email)', 18]] as const) {
      const plan = planFor(before, after, version, withValue(value));
      const files = { ...filesText(render(plan)), ...filesText(renderContracts(plan.contracts, plan.steps.length)) };
      for (const [file, text] of Object.entries(files)) await expect(text).toMatchFileSnapshot(`__snapshots__/add-required-column/${name}/${file}`);
    }
    expect(planFiles).toBeTypeOf('function');
  });
});

describe('add-required-column on Postgres', () => {
  const checksums = { before: EMAILS, afterExpand: EMAILS, afterContract: EMAILS };

  it('constant value: instant, old writers keep working, contract drops the default', async () => {
    await runScenario({
      from: before, to: after, decisions: withValue("'anonymous'"), seed: SEED, checksums,
      afterExpand: async (c) => {
        const old = await c.query(`INSERT INTO users (email) VALUES ('old@app.io') RETURNING nickname`);
        expect(old.rows[0].nickname).toBe('anonymous');
        expect((await c.query(`SELECT count(*)::int AS n FROM users WHERE nickname = 'anonymous'`)).rows[0].n).toBe(8001);
      },
    });
  });

  it('expression value: default for old writers, batched backfill, NOT NULL via check', async () => {
    await runScenario({
      from: before, to: after, decisions: withValue("'user-' || md5('seed')"), seed: SEED, checksums,
      afterExpand: async (c) => {
        expect((await c.query(`SELECT count(*)::int AS n FROM users WHERE nickname IS DISTINCT FROM 'user-' || md5('seed')`)).rows[0].n).toBe(0);
        const old = await c.query(`INSERT INTO users (email) VALUES ('old@app.io') RETURNING nickname = 'user-' || md5('seed') AS filled`);
        expect(old.rows[0].filled).toBe(true);
        await c.query(`INSERT INTO users (email, nickname) VALUES ('new@app.io', 'newbie')`);
        await expect(c.query(`INSERT INTO users (email, nickname) VALUES ('bad@app.io', NULL)`)).rejects.toThrow(/null value/);
      },
    });
  });

  it('value computed from other columns: a trigger fills old writers\' rows, the backfill fills the rest', async () => {
    await runScenario({
      from: before, to: after, decisions: withValue('lower(email)'), seed: SEED, checksums,
      afterExpand: async (c) => {
        expect((await c.query(`SELECT count(*)::int AS n FROM users WHERE nickname IS DISTINCT FROM lower(email)`)).rows[0].n).toBe(0);
        const old = await c.query(`INSERT INTO users (email) VALUES ('Old@App.io') RETURNING nickname`);
        expect(old.rows[0].nickname).toBe('old@app.io');
        const fresh = await c.query(`INSERT INTO users (email, nickname) VALUES ('New@App.io', 'mine') RETURNING nickname`);
        expect(fresh.rows[0].nickname).toBe('mine');
      },
    });
  });
});
