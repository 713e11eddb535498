import { describe, expect, it } from 'vitest';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const t = (dflt: string | null) => withPk(table('jobs', [idColumn(), col('state', 'text', { default: dflt }), col('at', 'timestamp with time zone')]));
const withAt = (dflt: string | null) => ({ ...t("'new'::text"), columns: [idColumn(), col('state', 'text', { default: "'new'::text" }), col('at', 'timestamp with time zone', { default: dflt })] });

describe('change-default', () => {
  it('sets, changes and drops defaults directly, saying why in the header (snapshot)', async () => {
    const { plan, files } = planModels(model([t("'new'::text")]), model([withAt('clock_timestamp()')]), 15);
    expect(plan.trace.map((x) => x.rule)).toEqual(['change-default']);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."jobs" ALTER COLUMN "at" SET DEFAULT clock_timestamp()']);
    expect(files[0]!.up.content).toMatch(/Why it is safe: a default only applies to future INSERTs: existing rows keep their values/);
    await expectFileSnapshots(files, 'change-default/set-volatile');
    expect(planModels(model([t("'new'::text")]), model([t(null)]), 15).plan.steps[0]!.up.map((s) => s.sql))
      .toEqual(['ALTER TABLE "public"."jobs" ALTER COLUMN "state" DROP DEFAULT']);
  });

  it('runs: rows keep their values, new rows get the new default, the down restores the old one', async () => {
    await exercise({
      before: `CREATE TABLE jobs (id serial PRIMARY KEY, state text DEFAULT 'new', at timestamptz);
        INSERT INTO jobs (at) SELECT NULL FROM generate_series(1, 2000);`,
      target: "CREATE TABLE jobs (id serial PRIMARY KEY, state text DEFAULT 'new', at timestamptz DEFAULT clock_timestamp());",
      from: model([t("'new'::text")]),
      to: model([withAt('clock_timestamp()')]),
      checksum: "select count(*) filter (where at is null)::text as sum from jobs",
      async afterStep(_i, _file, client) {
        const { rows } = await client.query("INSERT INTO jobs DEFAULT VALUES RETURNING at");
        expect(rows[0].at).toBeInstanceOf(Date);
        await client.query('DELETE FROM jobs WHERE at IS NOT NULL');
      },
    });
  });
});
