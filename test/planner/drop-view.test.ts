import { describe, expect, it } from 'vitest';
import { col, idColumn } from '../helpers/model';
import { diffModels } from '../../src/diff/diff';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { planChanges } from '../../src/planner/plan';
import { planModels } from './safe-helpers';
import { bookings, runOnServer, view, withViews } from './support/view-cases';

const reads = (...columns: string[]) => [{ schema: 'public', name: 'bookings', columns }];
const typed = (...pairs: [string, string][]) => pairs.map(([name, dataType]) => ({ name, dataType }));

describe('drop-view (unit)', () => {
  it('a view no entity describes is unmanaged; dropping it needs the flag and is a contract step', () => {
    const old = view('legacy', ' SELECT 1;');
    const listed = planModels(withViews([bookings()], [old]), withViews([bookings()], []), 18);
    expect(listed.plan.steps).toEqual([]);
    const from = withViews([bookings()], [old]);
    const to = withViews([bookings()], []);
    const { changes } = diffModels(from, to, { dropUnmanaged: true });
    const refused = planChanges(changes, { from, to, decisions: { ...NO_DECISIONS, dropUnmanaged: true }, targetMajor: 18, rowEstimates: new Map() });
    expect(refused.needs.map((n) => [n.rule, n.flag])).toEqual([['drop-view', '--allow-destructive']]);
    const dropped = planModels(withViews([bookings()], [old]), withViews([bookings()], []), 18, { dropUnmanaged: true, allowDestructive: true });
    expect(dropped.plan.steps.map((s) => [s.phase, s.up.map((u) => u.sql)])).toEqual([['contract', ['DROP VIEW "public"."legacy"']]]);
    expect(dropped.plan.steps[0]!.down.map((s) => s.sql)).toEqual(['CREATE VIEW "public"."legacy" AS SELECT 1']);
  });

  it('a view over a column whose type changes is dropped first and created again last, with the views that read it', () => {
    const rooms = view('rooms', 'q1', { reads: reads('note') });
    const top = view('top_rooms', 'q2', { reads: [{ schema: 'public', name: 'rooms', columns: ['note'] }] });
    const note = (type: string) => bookings({}, [idColumn(), col('room', 'integer', { nullable: false }), col('note', type)]);
    const from = withViews([note('character varying(20)')], [rooms, top]);
    const to = withViews([note('character varying(40)')], [rooms, top]);
    const { plan } = planModels(from, to, 18);
    expect(plan.needs).toEqual([]);
    const sql = plan.steps.flatMap((s) => s.up.map((u) => u.sql.split(' AS ')[0]!));
    expect(sql[0]).toBe('DROP VIEW "public"."top_rooms"');
    expect(sql[1]).toBe('DROP VIEW "public"."rooms"');
    expect(sql.slice(-2)).toEqual(['CREATE VIEW "public"."rooms"', 'CREATE VIEW "public"."top_rooms"']);
  });

  it('a changed column list CREATE OR REPLACE cannot take: drop and create in one file', () => {
    const from = view('rooms', 'q1', { columns: typed(['room', 'integer']), reads: reads('room') });
    const to = view('rooms', 'q2', { columns: typed(['room', 'text']), reads: reads('room') });
    const { plan } = planModels(withViews([bookings()], [from]), withViews([bookings()], [to]), 18);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['DROP VIEW "public"."rooms"', 'CREATE VIEW "public"."rooms" AS q2']);
  });
});

describe('drop-view (on the server)', () => {
  it('widens a column two views read (PostgreSQL refuses ALTER TYPE beneath a view): drop, alter, create', async () => {
    const before = `CREATE TABLE bookings (id serial PRIMARY KEY, room integer NOT NULL, note varchar(20));
      INSERT INTO bookings (room, note) SELECT i, 'n' || i FROM generate_series(1, 200) i;
      CREATE VIEW notes AS SELECT id, note FROM bookings; CREATE VIEW short_notes AS SELECT note FROM notes WHERE length(note) < 3;`;
    const table = bookings({}, [idColumn(), col('room', 'integer', { nullable: false }), col('note', 'character varying(40)')]);
    const notes = view('notes', 'SELECT id, note FROM bookings');
    const short = view('short_notes', 'SELECT note FROM notes WHERE length(note) < 3');
    const { plan } = await runOnServer(before, withViews([table], [notes, short]));
    expect(plan.trace.map((t) => t.rule)).toEqual(['drop-view', 'drop-view', 'alter-column-type', 'create-view', 'create-view']);
  });
});

describe('drop-view around expand → contract (unit)', () => {
  const priced = (type: string) => bookings({}, [idColumn(), col('room', 'integer', { nullable: false }), col('price', type)]);
  const prices = view('prices', 'q1', { reads: reads('price') });
  const top = view('top_prices', 'q2', { reads: [{ schema: 'public', name: 'prices', columns: ['price'] }] });

  it('a rewriting type change leaves the views in the expand; its contract drops and re-creates them around the swap', () => {
    const { plan } = planModels(withViews([priced('integer')], [prices, top]), withViews([priced('bigint')], [prices, top]), 18);
    expect(plan.needs).toEqual([]);
    expect(plan.steps.flatMap((s) => s.up.map((u) => u.sql)).filter((sql) => /VIEW/.test(sql))).toEqual([]);
    const contract = plan.contracts[0]!.fragments[0]!.up.map((u) => u.sql.split(' AS ')[0]!);
    expect(contract.slice(0, 2)).toEqual(['DROP VIEW "public"."top_prices"', 'DROP VIEW "public"."prices"']);
    expect(contract.slice(-2)).toEqual(['CREATE VIEW "public"."prices"', 'CREATE VIEW "public"."top_prices"']);
    const down = plan.contracts[0]!.fragments[0]!.down.map((u) => u.sql.split(' AS ')[0]!);
    expect([down[0], down[1], ...down.slice(-2)]).toEqual([contract[0], contract[1], ...contract.slice(-2)]);
  });

  it('a view no entity describes in the way: refused naming it and --recreate-views; with the flag, carried by the contract', () => {
    const from = withViews([priced('integer')], [prices]);
    const to = withViews([priced('bigint')], []);
    const refused = planModels(from, to, 18);
    expect(refused.plan.needs.map((n) => [n.rule, n.flag])).toEqual([['drop-view', '--recreate-views']]);
    expect(refused.plan.needs[0]!.reason).toMatch(/^view prices, which no entity describes, reads what this plan changes \(change type of bookings\.price from integer to bigint\)/);
    const { plan } = planModels(from, to, 18, { recreateViews: true });
    expect(plan.needs).toEqual([]);
    expect(plan.contracts[0]!.fragments[0]!.up.map((u) => u.sql).filter((sql) => /VIEW/.test(sql))).toEqual(['DROP VIEW "public"."prices"', 'CREATE VIEW "public"."prices" AS q1']);
  });
});
