/**
 * Views over columns that a plan changes expand → contract (issue 12 part 3), through the acceptance
 * loop (test/helpers/acceptance.ts) on a populated table: plan, apply the expand, re-diff empty with the
 * contract pending, apply the contract, re-diff empty, downs restore the catalog.
 *  - a type change through the shadow column leaves the views as they are in the expand (they keep
 *    working on the old column) and its contract drops and re-creates them around the swap, a
 *    materialized view with its index;
 *  - a rename or a drop redefines the views in the expand, or refuses a view still over what goes;
 *  - a view no entity describes in the way is refused with the flag, and re-created from the catalog with it;
 *  - rename-table's compatibility view is not listed as unmanaged while its contract is pending.
 */
import type { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import type { Column, SchemaModel, Table, View } from '../../src/model/schema';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { evolveAndVerify } from '../helpers/acceptance';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { planState } from '../helpers/plan';

const ROWS = 500;

function view(name: string, definition: string, options: Partial<View> = {}): View {
  return { schema: 'public', name, materialized: false, definition, columns: [], reads: [], indexes: [], ...options };
}

function accounts(columns: Partial<Record<'amount' | 'label' | 'note', Column | null>> = {}, name = 'accounts') {
  const chosen = [
    idColumn(),
    columns.amount === undefined ? col('amount', 'integer', { default: '0' }) : columns.amount,
    columns.label === undefined ? col('label', 'text') : columns.label,
    columns.note === undefined ? col('note', 'text') : columns.note,
  ].filter((c): c is Column => c !== null);
  return withPk(table(name, chosen));
}

const AMOUNTS = view('account_amounts', 'SELECT id, amount FROM accounts');
const BIG = view('account_big', 'SELECT id FROM account_amounts WHERE amount > 10', { dependsOn: [{ schema: 'public', name: 'account_amounts' }] });
const TOTALS = view('account_totals', 'SELECT label, sum(amount) AS total FROM accounts GROUP BY label', {
  materialized: true, indexes: [index('account_totals_label', ['label'], { unique: true })],
});
const NOTES = view('account_notes', 'SELECT id, note FROM accounts');

const withViews = (tables: Table[], views: View[]): SchemaModel => model(tables, { views });
const BEFORE = withViews([accounts()], [AMOUNTS, BIG, TOTALS, NOTES]);

let db: TestDatabase;
let client: Client;
beforeEach(async () => {
  db = await createTestDatabase();
  client = await db.connect();
  await evolveAndVerify(client, BEFORE, { ...NO_DECISIONS, allowDestructive: true });
  await client.query(`INSERT INTO accounts (amount, label, note) SELECT i, 'l' || (i % 7), 'n' || i FROM generate_series(1, ${ROWS}) i`);
  await client.query('REFRESH MATERIALIZED VIEW account_totals');
});
afterEach(async () => {
  await client?.end();
  await db?.drop();
});

const decide = (d: Partial<Decisions>): Decisions => ({ ...NO_DECISIONS, ...d });
const allSql = (files: readonly { up: { content: string } }[]) => files.map((f) => f.up.content).join('\n');

/** The plan's refusals, without applying anything. */
async function needsOf(desiredRaw: SchemaModel, decisions: Decisions) {
  const current = await introspect(client);
  const desired = await cookModel(client, desiredRaw);
  return planState(current, desired, { targetMajor: 15, decisions }).plan.needs;
}

describe('a type change through the shadow column, with views over the column', () => {
  it('keeps the views through the expand; the contract drops and re-creates them around the swap', async () => {
    const after = withViews([accounts({ amount: col('amount', 'bigint', { default: '0' }) })], [AMOUNTS, BIG, TOTALS, NOTES]);
    const { plan, files, contractFiles } = await evolveAndVerify(client, after);
    expect(plan.trace.map((t) => t.rule)).toContain('alter-column-type');
    expect(allSql(files)).not.toMatch(/DROP (MATERIALIZED )?VIEW/);
    const contract = allSql(contractFiles);
    expect(contract).toMatch(/DROP VIEW "public"."account_big"[\s\S]*DROP VIEW "public"."account_amounts"[\s\S]*RENAME COLUMN[\s\S]*CREATE VIEW "public"."account_amounts"[\s\S]*CREATE VIEW "public"."account_big"/);
    expect(contract).toMatch(/DROP MATERIALIZED VIEW "public"."account_totals"[\s\S]*CREATE MATERIALIZED VIEW "public"."account_totals"[\s\S]*CREATE UNIQUE INDEX "account_totals_label"/);
    expect(contract).not.toMatch(/account_notes/);
    expect(contractFiles[0]!.up.content).toMatch(/ACCESS EXCLUSIVE is held on accounts/);
    // After the expand (the state evolveAndVerify leaves) the views still answer, on the old column.
    const { rows } = await client.query('SELECT (SELECT count(*) FROM account_big)::int AS big, (SELECT sum(total) FROM account_totals)::bigint AS total');
    expect(rows[0]).toEqual({ big: ROWS - 10, total: String((ROWS * (ROWS + 1)) / 2) });
  });

  it('a view redefined in the same plan is redefined in the expand, over the old column, and carried by the contract', async () => {
    const redefined = view('account_amounts', 'SELECT id, amount, amount * 2 AS doubled FROM accounts');
    const after = withViews([accounts({ amount: col('amount', 'bigint', { default: '0' }) })], [redefined, BIG, TOTALS, NOTES]);
    const { contractFiles } = await evolveAndVerify(client, after);
    expect(allSql(contractFiles)).toMatch(/CREATE VIEW "public"."account_amounts" AS SELECT id, amount, amount \* 2 AS doubled/);
  });
});

describe('a rename or a drop beneath a view', () => {
  it('rename: the view is redefined over the new column in the expand; the contract drops the old one', async () => {
    const totals = { ...TOTALS, definition: 'SELECT title AS label, sum(amount) AS total FROM accounts GROUP BY title', indexes: TOTALS.indexes };
    const after = withViews([accounts({ label: col('title', 'text') })], [AMOUNTS, BIG, totals, NOTES]);
    const { files, contractFiles } = await evolveAndVerify(client, after, decide({ columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'label', to: 'title' }] }));
    expect(allSql(files)).toMatch(/DROP MATERIALIZED VIEW "public"."account_totals"/);
    expect(allSql(contractFiles)).toMatch(/DROP COLUMN "label"/);
  });

  it('rename: a view still over the old column is refused (the contract would fail)', async () => {
    const after = withViews([accounts({ label: col('title', 'text') })], [AMOUNTS, BIG, TOTALS, NOTES]);
    const needs = await needsOf(after, decide({ columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'label', to: 'title' }] }));
    expect(needs.map((n) => n.rule)).toEqual(['create-view']);
    expect(needs[0]!.reason).toMatch(/account_totals reads accounts\.label, which this plan renames to title/);
  });

  it('drop: a view still over the dropped column is refused; one that no longer reads it is redefined', async () => {
    const stale = withViews([accounts({ note: null })], [AMOUNTS, BIG, TOTALS, NOTES]);
    const needs = await needsOf(stale, decide({ allowDestructive: true }));
    expect(needs.map((n) => n.rule)).toEqual(['create-view']);
    expect(needs[0]!.reason).toMatch(/account_notes reads accounts\.note, which this plan drops/);
    const fine = withViews([accounts({ note: null })], [AMOUNTS, BIG, TOTALS, view('account_notes', 'SELECT id, label FROM accounts')]);
    await evolveAndVerify(client, fine, decide({ allowDestructive: true }));
  });
});

describe('a view no entity describes, over a changed column', () => {
  beforeEach(async () => {
    await client.query('CREATE VIEW report AS SELECT id, amount, label FROM accounts');
  });
  const UNMANAGED: View[] = [AMOUNTS, BIG, TOTALS, NOTES];

  it.each([
    ['a type change through the shadow column', col('amount', 'bigint', { default: '0' })],
    ['an in-place type change', col('label', 'character varying')],
  ])('%s: refused without --recreate-views, re-created from the catalog with it', async (_title, changed) => {
    const after = withViews([accounts({ [changed.name]: changed })], UNMANAGED);
    const needs = await needsOf(after, NO_DECISIONS);
    expect(needs.map((n) => [n.rule, n.flag])).toEqual([['drop-view', '--recreate-views']]);
    expect(needs[0]!.reason).toMatch(/^view report, which no entity describes, reads what this plan changes/);
    const { files, contractFiles } = await evolveAndVerify(client, after, decide({ recreateViews: true }));
    expect(allSql([...files, ...contractFiles])).toMatch(/CREATE VIEW "public"."report" AS/);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM report');
    expect(rows[0].n).toBe(ROWS);
  });

  it('a rename of the column it reads is refused: it could not be created again', async () => {
    const after = withViews([accounts({ label: col('title', 'text') })], [AMOUNTS, BIG, { ...TOTALS, definition: 'SELECT title AS label, sum(amount) AS total FROM accounts GROUP BY title' }, NOTES]);
    const needs = await needsOf(after, decide({ recreateViews: true, columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'label', to: 'title' }] }));
    expect(needs.map((n) => [n.rule, n.flag])).toEqual([['drop-view', '--allow-destructive --drop-unmanaged']]);
    expect(needs[0]!.reason).toMatch(/report, which no entity describes, reads accounts\.label, which this plan renames/);
  });
});

describe("rename-table's compatibility view", () => {
  it('is not unmanaged while its contract is pending', async () => {
    const renamed = withViews([accounts({}, 'ledger')], [
      view('account_amounts', 'SELECT id, amount FROM ledger'), BIG,
      { ...TOTALS, definition: 'SELECT label, sum(amount) AS total FROM ledger GROUP BY label' }, view('account_notes', 'SELECT id, note FROM ledger'),
    ]);
    const { plan } = await evolveAndVerify(client, renamed, decide({ tableRenames: [{ from: { schema: 'public', name: 'accounts' }, to: { schema: 'public', name: 'ledger' } }] }));
    const current = await introspect(client);
    const desired = await cookModel(client, renamed);
    const check = planState(current, desired, { targetMajor: 15, pendingContracts: plan.contracts });
    expect(check.changes).toEqual([]);
    expect(check.unmanaged).toEqual([]);
    // Without the record it is what it looks like: a view no entity describes.
    expect(planState(current, desired, { targetMajor: 15 }).unmanaged).toEqual([{ kind: 'view', name: { schema: 'public', name: 'accounts' } }]);
  });
});
