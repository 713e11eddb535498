import { describe, expect, it } from 'vitest';
import type { ForeignKey } from '../../src/model/schema';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const orgs = withPk(table('orgs', [idColumn(), col('name', 'text')]));
const users = withPk(table('users', [idColumn(), col('org_id', 'integer')]));
const fk: ForeignKey = {
  name: 'users_org_id_fkey', columns: ['org_id'], referencedTable: { schema: 'public', name: 'orgs' }, referencedColumns: ['id'],
  onDelete: 'CASCADE', onUpdate: 'NO ACTION', deferrable: 'not deferrable',
};
const usersWithFk = { ...users, foreignKeys: [fk] };

const BEFORE = `
  CREATE TABLE orgs (id serial PRIMARY KEY, name text);
  CREATE TABLE users (id serial PRIMARY KEY, org_id integer);
  INSERT INTO orgs (name) SELECT 'org ' || g FROM generate_series(1, 100) g;
  INSERT INTO users (org_id) SELECT 1 + g % 100 FROM generate_series(1, 10000) g;`;
const TARGET = `
  CREATE TABLE orgs (id serial PRIMARY KEY, name text);
  CREATE TABLE users (id serial PRIMARY KEY, org_id integer REFERENCES orgs (id) ON DELETE CASCADE);`;

describe('add-foreign-key-not-valid', () => {
  it('adds NOT VALID in the attach stage and validates in a later file of its own', async () => {
    const { plan, files } = planModels(model([orgs, users]), model([orgs, usersWithFk]), 15);
    expect(plan.steps.map((s) => [s.transactional, s.up.map((x) => `${x.sql} | ${x.lock}`)])).toEqual([
      [true, ['ALTER TABLE "public"."users" ADD CONSTRAINT "users_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "public"."orgs" ("id") ON DELETE CASCADE NOT VALID | SHARE ROW EXCLUSIVE']],
      [true, ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_org_id_fkey" | SHARE UPDATE EXCLUSIVE']],
    ]);
    // Un-validating is impossible: the validate file's down puts the NOT VALID constraint back.
    expect(plan.steps[1]!.down.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."users" DROP CONSTRAINT "users_org_id_fkey"',
      'ALTER TABLE "public"."users" ADD CONSTRAINT "users_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "public"."orgs" ("id") ON DELETE CASCADE NOT VALID',
    ]);
    await expectFileSnapshots(files, 'add-foreign-key-not-valid/existing-tables');
  });

  it('still uses NOT VALID + VALIDATE when only the referenced table is new', () => {
    const { plan } = planModels(model([users]), model([orgs, usersWithFk]), 15);
    expect(plan.trace.map((t) => `${t.change.kind}:${t.rule}`)).toEqual(['CreateTable:direct', 'AddForeignKey:add-foreign-key-not-valid']);
    expect(plan.steps.map((s) => s.up.map((x) => x.sql.split(' (')[0]))).toEqual([
      ['CREATE TABLE "public"."orgs"'],
      ['ALTER TABLE "public"."users" ADD CONSTRAINT "users_org_id_fkey" FOREIGN KEY'],
      ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_org_id_fkey"'],
    ]);
  });

  it('runs: old rows stay, a dangling reference is refused after the attach, the down restores the catalog', async () => {
    await exercise({
      before: BEFORE,
      target: TARGET,
      from: model([orgs, users]),
      to: model([orgs, usersWithFk]),
      checksum: "select md5(string_agg(id || ':' || org_id, ',' order by id)) as sum from users",
      async afterStep(i, _file, client) {
        if (i !== 0) return;
        await expect(client.query('INSERT INTO users (org_id) VALUES (100000)')).rejects.toThrow(/users_org_id_fkey/);
        await client.query('INSERT INTO users (org_id) VALUES (1); DELETE FROM users WHERE id = (SELECT max(id) FROM users)');
      },
    });
  });

  it('VALIDATE fails (and changes nothing) when an old row points nowhere', async () => {
    const { createTestDatabase } = await import('../helpers/db');
    const db = await createTestDatabase();
    try {
      await db.query(`${BEFORE} INSERT INTO users (org_id) VALUES (424242);`);
      const { files } = planModels(model([orgs, users]), model([orgs, usersWithFk]), 15);
      await db.query(files[0]!.up.content);
      await expect(db.query(files[1]!.up.content)).rejects.toThrow(/users_org_id_fkey/);
      const rows = await db.query<{ convalidated: boolean }>("select convalidated from pg_constraint where conname = 'users_org_id_fkey'");
      expect(rows).toEqual([{ convalidated: false }]);
    } finally {
      await db.drop();
    }
  });
});
