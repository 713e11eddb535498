/**
 * The expand's bookkeeping on a real server (issue #15): which writes count as "through the old shape".
 * A column rename's sync trigger stamps a write that sets the old column and not the new one; a table
 * rename's statement trigger stamps a write through the compatibility view, never one by the new name.
 * The stamp moves at most once a second, and a role that may not write the bookkeeping still can
 * (SECURITY DEFINER).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { col, model, table } from '../helpers/model';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { applyUp, createModel, decisions, planFor, render } from '../planner/support/expand-harness';

const pk = { name: 't_pkey', columns: ['id'] };
const id = col('id', 'integer', { nullable: false });

async function lastWrite(db: TestDatabase, contract: string): Promise<Date | null> {
  const rows = await db.query<{ last_old_write: Date | null }>('SELECT last_old_write FROM pgshift_contract_usage WHERE contract = $1', [contract]);
  return rows[0]!.last_old_write;
}

async function reset(db: TestDatabase): Promise<void> {
  await db.query('UPDATE pgshift_contract_usage SET last_old_write = NULL');
}

describe('contract usage triggers', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('pgshift_usage'); });
  afterEach(async () => { await db.drop(); });

  it('column rename: only writes that set the old column and not the new one are stamped, at most once a second', async () => {
    const before = model([table('people', [id, col('full_name', 'text')], { primaryKey: pk })]);
    const after = model([table('people', [id, col('name', 'text')], { primaryKey: pk })]);
    const plan = planFor(before, after, 15, decisions({ columnRenames: [{ table: { schema: 'public', name: 'people' }, from: 'full_name', to: 'name' }] }));
    const client = await db.connect();
    try {
      await createModel(client, before);
      await applyUp(client, render(plan));
    } finally { await client.end(); }
    const contract = 'rename-column:public.people.full_name';
    expect(await lastWrite(db, contract)).toBeNull();

    await db.query("INSERT INTO people (id, name) VALUES (1, 'new app')");
    await db.query("UPDATE people SET name = 'new app 2' WHERE id = 1");
    expect(await lastWrite(db, contract), 'the new application leaves no stamp').toBeNull();

    await db.query("INSERT INTO people (id, full_name) VALUES (2, 'old app')");
    const first = await lastWrite(db, contract);
    expect(first).not.toBeNull();
    await db.query("UPDATE people SET full_name = 'old app 2' WHERE id = 2");
    expect(await lastWrite(db, contract), 'within the second: no second update of the bookkeeping row').toEqual(first);
    await new Promise((r) => setTimeout(r, 1100));
    await db.query("UPDATE people SET full_name = 'old app 3' WHERE id = 1");
    expect((await lastWrite(db, contract))!.getTime()).toBeGreaterThan(first!.getTime());

    // An application role without any right on pgshift's bookkeeping still writes (and is still seen).
    await reset(db);
    const role = `${db.name}_app`;
    const appClient = await db.connect();
    try {
      await appClient.query(`CREATE ROLE ${role} NOLOGIN; GRANT SELECT, INSERT, UPDATE ON people TO ${role}; SET ROLE ${role}`);
      await appClient.query("UPDATE people SET full_name = 'old app as app role' WHERE id = 1");
      await expect(appClient.query('SELECT * FROM pgshift_contract_usage')).rejects.toThrow(/permission denied/);
    } finally { await appClient.end(); }
    expect(await lastWrite(db, contract)).not.toBeNull();
    await db.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
  });

  it('table rename: writes through the compatibility view are stamped, writes by the new name are not', async () => {
    const columns = [id, col('total', 'integer')];
    const before = model([table('orders', columns, { primaryKey: pk })]);
    const after = model([table('purchases', columns, { primaryKey: pk })]);
    const plan = planFor(before, after, 15, decisions({ tableRenames: [{ from: { schema: 'public', name: 'orders' }, to: { schema: 'public', name: 'purchases' } }] }));
    const client = await db.connect();
    try {
      await createModel(client, before);
      await applyUp(client, render(plan));
    } finally { await client.end(); }
    const contract = 'rename-table:public.orders';
    await db.query('INSERT INTO purchases (id, total) VALUES (1, 10)');
    await db.query('UPDATE purchases SET total = 11');
    await db.query('SELECT * FROM purchases');
    expect(await lastWrite(db, contract)).toBeNull();
    await db.query('UPDATE orders SET total = 12 WHERE id = 1');
    expect(await lastWrite(db, contract)).not.toBeNull();
    await reset(db);
    await db.query('INSERT INTO orders (id, total) VALUES (2, 20)');
    expect(await lastWrite(db, contract)).not.toBeNull();
    await reset(db);
    await db.query('DELETE FROM orders WHERE id = 2');
    expect(await lastWrite(db, contract)).not.toBeNull();
  });
});
