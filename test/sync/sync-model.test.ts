/**
 * syncModel on a real server, before → after entity cases on a populated schema: what is applied, what
 * is skipped, and that a re-diff afterwards shows exactly the skipped changes — the additive part is
 * really in the database, and nothing else changed.
 */
import type { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import type { ChangeKind } from '../../src/diff/change';
import { loadEntityModel } from '../../src/entity-loader';
import { PgshiftError } from '../../src/errors';
import type { SchemaModel } from '../../src/model/schema';
import { describeChange } from '../../src/planner/describe';
import { syncModel } from '../../src/sync/sync-model';
import { REPO_ROOT } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { col, idColumn, model, table, withPk } from '../helpers/model';

const evolve = async (name: string) => (await loadEntityModel(`test/fixtures/evolve/${name}.ts`, { cwd: REPO_ROOT })).model;

async function seed(client: Client): Promise<void> {
  await client.query(`INSERT INTO owners (label) SELECT 'owner ' || i FROM generate_series(1, 5) i`);
  await client.query(`INSERT INTO accounts (name, note) SELECT 'n' || i, 'note ' || i FROM generate_series(1, 50) i`);
}

async function remainingDifferences(client: Client, desiredRaw: SchemaModel): Promise<string[]> {
  const current = await introspect(client, { schemas: [...desiredRaw.schemas] });
  const desired = await cookModel(client, desiredRaw);
  return diffModels(current, desired).changes.map(describeChange).sort();
}

interface Case {
  readonly name: string;
  readonly applied: readonly ChangeKind[];
  readonly skipped: readonly ChangeKind[];
  readonly empty?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'add-nullable-column', applied: ['AddColumn'], skipped: [] },
  { name: 'add-not-null-constant-default', applied: ['AddColumn'], skipped: [] },
  { name: 'add-required-column', applied: [], skipped: ['AddColumn'] },
  { name: 'add-required-column', applied: ['AddColumn'], skipped: [], empty: true },
  { name: 'add-index', applied: ['CreateIndex'], skipped: [] },
  { name: 'add-unique', applied: ['AddUnique'], skipped: [] },
  { name: 'add-fk', applied: ['AddColumn', 'AddForeignKey'], skipped: [] },
  { name: 'add-check', applied: ['AddCheck'], skipped: [] },
  { name: 'new-table-with-fk-and-index', applied: ['CreateTable', 'AddForeignKey'], skipped: [] },
  { name: 'enum-add-value', applied: ['AddEnumValue'], skipped: [] },
  { name: 'set-not-null', applied: [], skipped: ['SetNotNull'] },
  { name: 'widen-varchar', applied: [], skipped: ['AlterColumnType'] },
  { name: 'integer-to-bigint', applied: [], skipped: ['AlterColumnType'] },
  { name: 'change-default', applied: [], skipped: ['SetDefault'] },
  { name: 'drop-column', applied: [], skipped: ['DropColumn'] },
  { name: 'rename-column', applied: ['AddColumn'], skipped: ['DropColumn'] },
];

describe('syncModel', () => {
  let db: TestDatabase | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.end();
    await db?.drop();
    client = undefined;
    db = undefined;
  });

  const open = async () => {
    db = await createTestDatabase('pgshift_sync');
    client = await db.connect();
    return client;
  };

  it('creates a whole schema on an empty database, and a second sync has nothing to do', async () => {
    const c = await open();
    const before = await evolve('before');
    const first = await syncModel(c, before);
    expect(first.skipped).toEqual([]);
    expect(first.applied.map((a) => a.change.kind)).toEqual(['CreateEnum', 'CreateTable', 'CreateTable']);
    const second = await syncModel(c, before);
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual([]);
  });

  it.each(CASES)('$name (empty tables: $empty)', async ({ name, applied, skipped, empty }) => {
    const c = await open();
    await syncModel(c, await evolve('before'));
    if (!empty) await seed(c);
    const after = await evolve(name);
    const result = await syncModel(c, after);
    expect(result.applied.map((a) => a.change.kind)).toEqual(applied);
    expect(result.skipped.map((s) => s.change.kind)).toEqual(skipped);
    expect(await remainingDifferences(c, after)).toEqual(result.skipped.map((s) => describeChange(s.change)).sort());
    if (!empty) expect((await c.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(50);
  });

  it('a dry run reports the same but changes nothing', async () => {
    const c = await open();
    await syncModel(c, await evolve('before'));
    const after = await evolve('new-table-with-fk-and-index');
    const before = await introspect(c, { schemas: ['public'] });
    const dry = await syncModel(c, after, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.applied.flatMap((a) => a.sql).join('\n')).toMatch(/CREATE TABLE "public"."tags"/);
    expect(await introspect(c, { schemas: ['public'] })).toEqual(before);
  });

  it('a foreign key that existing rows violate rolls the whole sync back, with a clear message', async () => {
    const c = await open();
    await syncModel(c, await evolve('before'));
    await c.query('ALTER TABLE accounts ADD COLUMN owner_id integer');
    await c.query(`INSERT INTO accounts (name, owner_id) VALUES ('orphan', 999)`);
    // The after side adds the FK on owner_id and, in the same sync, a new nullable column and an index.
    const after = await evolve('add-fk');
    const withMore: SchemaModel = {
      ...after,
      tables: after.tables.map((t) => (t.name === 'accounts' ? { ...t, columns: [...t.columns, col('extra', 'text')] } : t)),
    };
    const before = await introspect(c, { schemas: ['public'] });
    const error = await syncModel(c, withMore).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgshiftError);
    expect((error as PgshiftError).message).toMatch(/sync failed at "add foreign key FK_\w+ accounts \(owner_id\) → owners": .*violates foreign key constraint.*rolled back/);
    expect((error as PgshiftError).hint).toMatch(/existing rows violate the foreign key/);
    expect(await introspect(c, { schemas: ['public'] })).toEqual(before);
  });

  it('commits a new enum label first when a new column defaults to it', async () => {
    const c = await open();
    const mood = { schema: 'public', name: 'mood', values: ['happy', 'sad'] };
    const start = model([withPk(table('people', [idColumn()]))], { enums: [mood] });
    await syncModel(c, start);
    await c.query('INSERT INTO people DEFAULT VALUES');
    const moodColumn = col('mood', '', { enumType: { schema: 'public', name: 'mood' }, nullable: false, default: `'meh'` });
    const next = model([withPk(table('people', [idColumn(), moodColumn]))], { enums: [{ ...mood, values: ['happy', 'meh', 'sad'] }] });
    const result = await syncModel(c, next);
    expect(result.applied.map((a) => a.change.kind)).toEqual(['AddEnumValue', 'AddColumn']);
    expect((await c.query('SELECT mood::text FROM people')).rows).toEqual([{ mood: 'meh' }]);
    expect(await remainingDifferences(c, next)).toEqual([]);
  });

  it('skips what depends on a skipped column, and a constraint whose name is still taken', async () => {
    const c = await open();
    const start = model([withPk(table('items', [idColumn(), col('code', 'integer'), col('qty', 'integer')], {
      checks: [{ name: 'items_qty_check', expression: '(qty > 0)' }],
    }))]);
    await syncModel(c, start);
    await c.query('INSERT INTO items (code, qty) VALUES (1, 1)');
    const next = model([withPk(table('items', [idColumn(), col('code', 'integer'), col('qty', 'integer'), col('sku', 'text', { nullable: false })], {
      checks: [{ name: 'items_qty_check', expression: '(qty > 1)' }],
      indexes: [{ name: 'items_sku_idx', keys: [{ column: 'sku', expression: null, descending: false, nullsNotDefault: false }], unique: false, method: 'btree', where: null }],
      uniques: [{ name: 'items_code_key', columns: ['code'], deferrable: 'not deferrable' }],
    }))]);
    const result = await syncModel(c, next);
    expect(result.applied.map((a) => describeChange(a.change))).toEqual(['add unique items_code_key on items (code)']);
    const reasons = Object.fromEntries(result.skipped.map((s) => [describeChange(s.change), s.reason]));
    expect(reasons['create index items_sku_idx on items (sku)']).toMatch(/depends on a skipped change: column sku was not added/);
    expect(reasons['add check items_qty_check on items: (qty > 1)']).toMatch(/name items_qty_check is taken/);
    expect(reasons['drop check items_qty_check on items']).toMatch(/never drops/);
    expect(await remainingDifferences(c, next)).toEqual(result.skipped.map((s) => describeChange(s.change)).sort());
  });
});
