import { describe, expect, it } from 'vitest';
import type { UniqueConstraint } from '../../src/model/schema';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { expectFileSnapshots, planModels } from './safe-helpers';

const users = withPk(table('users', [idColumn(), col('email', 'text'), col('org', 'integer')]));
const unique = (name: string, columns: string[], deferrable: UniqueConstraint['deferrable'] = 'not deferrable'): UniqueConstraint => ({ name, columns, deferrable });
const withUnique = (u: UniqueConstraint) => ({ ...users, uniques: [u] });

const BEFORE = `
  CREATE TABLE users (id serial PRIMARY KEY, email text, org integer);
  INSERT INTO users (email, org) SELECT 'u' || g || '@example.com', g % 10 FROM generate_series(1, 10000) g;`;
const TABLE = 'CREATE TABLE users (id serial PRIMARY KEY, email text, org integer';

describe('add-unique-using-index', () => {
  it('builds the index concurrently under the constraint name, then attaches it', () => {
    const { plan } = planModels(model([users]), model([withUnique(unique('users_email_key', ['email']))]), 15);
    expect(plan.trace.map((t) => t.rule)).toEqual(['add-unique-using-index']);
    expect(plan.steps.map((s) => [s.transactional, s.up.map((x) => x.sql)])).toEqual([
      [false, ['CREATE UNIQUE INDEX CONCURRENTLY "users_email_key" ON "public"."users" ("email")']],
      [true, ['ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE USING INDEX "users_email_key"']],
    ]);
  });

  it('keeps a deferrable clause on USING INDEX (snapshot)', async () => {
    const { files } = planModels(model([users]), model([withUnique(unique('users_email_org_key', ['email', 'org'], 'initially deferred'))]), 15);
    expect(files[1]!.up.content).toContain('UNIQUE USING INDEX "users_email_org_key" DEFERRABLE INITIALLY DEFERRED;');
    await expectFileSnapshots(files, 'add-unique-using-index/deferrable');
  });

  it('runs: the constraint is enforced and equals a plain UNIQUE, the down restores the catalog', async () => {
    await exercise({
      before: BEFORE,
      target: `${TABLE}, CONSTRAINT users_email_key UNIQUE (email));`,
      from: model([users]),
      to: model([withUnique(unique('users_email_key', ['email']))]),
      checksum: "select md5(string_agg(email || ':' || org, ',' order by id)) as sum from users",
      async afterStep(i, _file, client) {
        if (i !== 1) return;
        await expect(client.query("INSERT INTO users (email, org) VALUES ('u1@example.com', 1)")).rejects.toThrow(/users_email_key/);
      },
    });
  });

  it('runs a deferrable unique: same catalog as the plain DDL (deferrable, index not immediate)', async () => {
    await exercise({
      before: BEFORE,
      target: `${TABLE}, CONSTRAINT users_email_org_key UNIQUE (email, org) DEFERRABLE INITIALLY DEFERRED);`,
      from: model([users]),
      to: model([withUnique(unique('users_email_org_key', ['email', 'org'], 'initially deferred'))]),
    });
  });
});
