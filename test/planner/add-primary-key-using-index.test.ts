import { describe, expect, it } from 'vitest';
import { col, model, table } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const events = (nullable: boolean) => table('events', [col('id', 'bigint', { nullable }), col('kind', 'text')]);
const withPk = { ...events(false), primaryKey: { name: 'events_pkey', columns: ['id'] } };
const BEFORE = (notNull: boolean) => `
  CREATE TABLE events (id bigint${notNull ? ' NOT NULL' : ''}, kind text);
  INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 10000) g;`;
const TARGET = 'CREATE TABLE events (id bigint NOT NULL, kind text, CONSTRAINT events_pkey PRIMARY KEY (id));';

describe('add-primary-key-using-index', () => {
  it('NOT NULL key columns: concurrent unique index, then PRIMARY KEY USING INDEX in the attach stage', () => {
    const { plan } = planModels(model([events(false)]), model([withPk]), 15);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql))).toEqual([
      ['CREATE UNIQUE INDEX CONCURRENTLY "events_pkey" ON "public"."events" ("id")'],
      ['ALTER TABLE "public"."events" ADD CONSTRAINT "events_pkey" PRIMARY KEY USING INDEX "events_pkey"'],
    ]);
  });

  it('nullable key columns: the attach waits until NOT NULL is enforced without a scan (snapshot)', async () => {
    const { plan, files } = planModels(model([events(true)]), model([withPk]), 15);
    const last = plan.steps[plan.steps.length - 1]!;
    expect(last.up.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."events" ALTER COLUMN "id" SET NOT NULL',
      'ALTER TABLE "public"."events" DROP CONSTRAINT "pgshift_nn_events_id"',
      'ALTER TABLE "public"."events" ADD CONSTRAINT "events_pkey" PRIMARY KEY USING INDEX "events_pkey"',
    ]);
    await expectFileSnapshots(files, 'add-primary-key-using-index/nullable-key');
  });

  it('runs with NOT NULL columns', async () => {
    await exercise({ before: BEFORE(true), target: TARGET, from: model([events(false)]), to: model([withPk]) });
  });

  it('runs with nullable columns (NOT NULL via check first)', async () => {
    await exercise({
      before: BEFORE(false),
      target: TARGET,
      from: model([events(true)]),
      to: model([withPk]),
      checksum: "select md5(string_agg(id || kind, ',' order by id)) as sum from events",
    });
  });
});
