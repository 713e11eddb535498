import { describe, expect, it } from 'vitest';
import { backfillKey } from '../../src/planner/decisions';
import { createTestDatabase } from '../helpers/db';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels, serverVersion } from './safe-helpers';

const users = (nullable: boolean) => withPk(table('users', [idColumn(), col('email', 'text', { nullable })]));
const BEFORE = (nulls: number) => `
  CREATE TABLE users (id serial PRIMARY KEY, email text);
  INSERT INTO users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 10000) g;
  INSERT INTO users (email) SELECT NULL FROM generate_series(1, ${nulls});`;
const TARGET = 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);';

describe('set-not-null-via-check', () => {
  it('PG 12–17: helper CHECK NOT VALID → VALIDATE (own file) → SET NOT NULL + drop helper', async () => {
    const { plan, files } = planModels(model([users(true)]), model([users(false)]), 15);
    expect(plan.steps.map((s) => s.up.map((x) => `${x.sql} | ${x.lock} ${x.duration}`))).toEqual([
      ['ALTER TABLE "public"."users" ADD CONSTRAINT "pgshift_nn_users_email" CHECK ("email" IS NOT NULL) NOT VALID | ACCESS EXCLUSIVE instant'],
      ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "pgshift_nn_users_email" | SHARE UPDATE EXCLUSIVE scan'],
      [
        'ALTER TABLE "public"."users" ALTER COLUMN "email" SET NOT NULL | ACCESS EXCLUSIVE instant',
        'ALTER TABLE "public"."users" DROP CONSTRAINT "pgshift_nn_users_email" | ACCESS EXCLUSIVE instant',
      ],
    ]);
    expect(plan.steps[1]!.why).toMatch(/still holds NULL in email, VALIDATE fails and changes nothing/);
    await expectFileSnapshots(files, 'set-not-null-via-check/pg15');
  });

  it('PG 18: ADD CONSTRAINT <t_c_not_null> NOT NULL … NOT VALID → VALIDATE', async () => {
    const { plan, files } = planModels(model([users(true)]), model([users(false)]), 18);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql))).toEqual([
      ['ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_not_null" NOT NULL "email" NOT VALID'],
      ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_email_not_null"'],
    ]);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."users" DROP CONSTRAINT IF EXISTS "users_email_not_null"']);
    await expectFileSnapshots(files, 'set-not-null-via-check/pg18');
  });

  it('with --backfill, fills the NULLs in batches before the constraint (snapshot)', async () => {
    const backfills = new Map([[backfillKey('public', 'users', 'email'), "'unknown'"]]);
    const { plan, files } = planModels(model([users(true)]), model([users(false)]), 15, { backfills, batchSize: 1000 });
    expect(plan.steps[0]).toMatchObject({ phase: 'backfill', content: 'data', transactional: false });
    expect(plan.steps[0]!.up[0]!.sql).toContain(`UPDATE "public"."users" SET "email" = 'unknown'`);
    await expectFileSnapshots(files, 'set-not-null-via-check/backfill');
  });

  it('is direct on a table created in the same plan', () => {
    expect(planModels(model([]), model([users(false)]), 15).plan.trace.every((t) => t.rule === 'direct')).toBe(true);
  });

  it('runs on this server: same end state as a plain NOT NULL, the down restores the catalog', async () => {
    await exercise({
      before: BEFORE(0),
      target: TARGET,
      from: model([users(true)]),
      to: model([users(false)]),
      checksum: "select md5(string_agg(email, ',' order by id)) as sum from users",
      async afterStep(i, _file, client) {
        // From the first file on, new NULLs are refused: the check (or NOT NULL NOT VALID) applies to new rows.
        if (i === 0) await expect(client.query('INSERT INTO users (email) VALUES (NULL)')).rejects.toThrow(/null|pgshift_nn_users_email/i);
      },
    });
  });

  it('runs with --backfill over rows holding NULL', async () => {
    const backfills = new Map([[backfillKey('public', 'users', 'email'), "'unknown'"]]);
    await exercise({
      before: BEFORE(500),
      target: TARGET,
      from: model([users(true)]),
      to: model([users(false)]),
      decisions: { backfills, batchSize: 1000 },
      async afterStep(i, _file, client) {
        if (i !== 0) return;
        const { rows } = await client.query("select count(*)::int as n from users where email = 'unknown'");
        expect(rows[0].n).toBe(500);
      },
    });
  });

  it('live rows holding NULL: VALIDATE fails and leaves the constraint NOT VALID', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    try {
      await client.query(BEFORE(3));
      const { files } = planModels(model([users(true)]), model([users(false)]), Math.floor((await serverVersion(client)) / 10000));
      await client.query(files[0]!.up.content);
      await expect(client.query(files[1]!.up.content)).rejects.toThrow();
      const { rows } = await client.query("select bool_or(convalidated) as v from pg_constraint where conrelid = 'users'::regclass and conname in ('users_email_not_null', 'pgshift_nn_users_email')");
      expect(rows[0].v).toBe(false);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
