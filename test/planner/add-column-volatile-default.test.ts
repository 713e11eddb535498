import { describe, expect, it } from 'vitest';
import { isVolatileDefault } from '../../src/planner/rules/add-column-volatile-default';
import { createTestDatabase } from '../helpers/db';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { watchLocks } from '../helpers/locks';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const items = withPk(table('items', [idColumn(), col('name', 'text')]));
const withToken = (nullable: boolean) => ({ ...items, columns: [...items.columns, col('token', 'uuid', { nullable, default: 'gen_random_uuid()' })] });
const BEFORE = (rows: number) => `
  CREATE TABLE items (id serial PRIMARY KEY, name text);
  INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, ${rows}) g;`;

describe('add-column-volatile-default', () => {
  it('knows volatile defaults from stable and constant ones', () => {
    for (const v of ['gen_random_uuid()', 'clock_timestamp()', 'public.uuid_generate_v4()', '((random() * 10))::integer', "nextval('s'::regclass)", 'timeofday()', 'uuidv7()']) {
      expect(isVolatileDefault(v), v).toBe(true);
    }
    for (const v of ['now()', 'CURRENT_TIMESTAMP', "'random()'::text", '0', "'x'::text", 'statement_timestamp()', 'my_random()']) {
      expect(isVolatileDefault(v), v).toBe(false);
    }
  });

  it('leaves constant and stable defaults, and new tables, to direct', () => {
    const nowDefault = { ...items, columns: [...items.columns, col('at', 'timestamp with time zone', { default: 'now()' })] };
    expect(planModels(model([items]), model([nowDefault]), 15).plan.trace.map((t) => t.rule)).toEqual(['direct']);
    expect(planModels(model([]), model([withToken(false)]), 15).plan.trace.map((t) => t.rule)).toEqual(['direct']);
  });

  it('NOT NULL: add + set default → batched backfill → NOT NULL via check (snapshot)', async () => {
    const { plan, files } = planModels(model([items]), model([withToken(false)]), 15, { batchSize: 1000 });
    expect(plan.steps.map((s) => `${s.phase}/${s.content}/${s.transactional ? 'tx' : 'no-tx'}`)).toEqual([
      'direct/schema/tx', 'backfill/data/no-tx', 'direct/schema/tx', 'direct/schema/tx', 'direct/schema/tx',
    ]);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."items" ADD COLUMN "token" uuid',
      'ALTER TABLE "public"."items" ALTER COLUMN "token" SET DEFAULT gen_random_uuid()',
    ]);
    expect(plan.steps[1]!.up).toHaveLength(1);
    expect(plan.steps[1]!.down).toHaveLength(1);
    await expectFileSnapshots(files, 'add-column-volatile-default/not-null-uuid');
  });

  it('nullable: add + set default → backfill, nothing more', () => {
    const { plan } = planModels(model([items]), model([withToken(true)]), 18);
    expect(plan.steps.map((s) => s.phase)).toEqual(['direct', 'backfill']);
  });

  it('runs: old-shape inserts get a value, every row is filled with its own value, end state equals the plain DDL', async () => {
    await exercise({
      before: BEFORE(20000),
      target: 'CREATE TABLE items (id serial PRIMARY KEY, name text, token uuid NOT NULL DEFAULT gen_random_uuid());',
      from: model([items]),
      to: model([withToken(false)]),
      decisions: { batchSize: 3000 },
      checksum: "select md5(string_agg(id || name, ',' order by id)) as sum from items where name like 'item %'",
      async afterStep(i, _file, client) {
        if (i === 0) {
          // An old app that does not know the column still inserts, and the row gets a token.
          const { rows } = await client.query("INSERT INTO items (name) VALUES ('old app') RETURNING token");
          expect(rows[0].token).toMatch(/^[0-9a-f-]{36}$/);
          await client.query("INSERT INTO items (name, token) VALUES ('new app', gen_random_uuid())");
        }
        if (i === 1) {
          const { rows } = await client.query('select count(*)::int as n, count(token)::int as filled, count(distinct token)::int as distinct_tokens from items');
          expect(rows[0]).toEqual({ n: 20002, filled: 20002, distinct_tokens: 20002 });
        }
      },
    });
  });

  it('composite primary keys and tables without one are backfilled too', async () => {
    const db = await createTestDatabase();
    try {
      await db.query(`CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b)); INSERT INTO pairs SELECT g % 50, 'b' || g FROM generate_series(1, 5000) g;
        CREATE TABLE loose (v int); INSERT INTO loose SELECT g FROM generate_series(1, 5000) g;`);
      const pairs = table('pairs', [col('a', 'integer', { nullable: false }), col('b', 'text', { nullable: false })], { primaryKey: { name: 'pairs_pkey', columns: ['a', 'b'] } });
      const loose = table('loose', [col('v', 'integer')]);
      const add = (t: typeof pairs) => ({ ...t, columns: [...t.columns, col('r', 'double precision', { default: 'random()' })] });
      const { files } = planModels(model([pairs, loose]), model([add(pairs), add(loose)]), 15, { batchSize: 700 });
      for (const f of files) await db.query(f.up.content);
      expect(await db.query('select (select count(*) from pairs where r is null) + (select count(*) from loose where r is null) as n')).toEqual([{ n: '0' }]);
    } finally {
      await db.drop();
    }
  });

  it('writers wait for one batch at most while the backfill runs over 50k rows: row locks, never the table', async () => {
    const db = await createTestDatabase();
    const [migrator, writer, observer] = await Promise.all([db.connect(), db.connect(), db.connect()]);
    try {
      await migrator.query(BEFORE(50000));
      const { files } = planModels(model([items]), model([withToken(true)]), 15, { batchSize: 1000 });
      await migrator.query(files[0]!.up.content);
      const backfill = migrator.query(files[1]!.up.content);
      let done = false;
      void backfill.finally(() => { done = true; });
      let duringBackfill = 0;
      const waitedFor = new Set<string>();
      for (let i = 0; i < 25 && !done; i++) {
        const id = 1 + Math.floor(Math.random() * 50000);
        const update = await watchLocks(observer, writer, () => writer.query('UPDATE items SET name = name WHERE id = $1', [id]));
        expect(update.finished, 'the UPDATE waited for a table lock').toBe(true);
        for (const kind of update.waitedFor) waitedFor.add(kind);
        if (!done) duringBackfill += 1;
      }
      await backfill;
      // At most the row a batch holds (its transaction), which its commit releases: never a table lock.
      expect([...waitedFor].filter((kind) => kind !== 'transactionid' && kind !== 'tuple')).toEqual([]);
      expect(duringBackfill).toBeGreaterThan(0);
      expect(await db.query('select count(*)::int as n from items where token is null')).toEqual([{ n: 0 }]);
    } finally {
      await migrator.end();
      await writer.end();
      await observer.end();
      await db.drop();
    }
  });
});
