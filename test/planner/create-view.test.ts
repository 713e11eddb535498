import { describe, expect, it } from 'vitest';
import { planModels } from './safe-helpers';
import { bookings, runOnServer, view, withViews } from './support/view-cases';

const cols = (...names: string[]) => names.map((name) => ({ name, dataType: 'integer' }));

describe('create-view (unit)', () => {
  it('creates views last, after the views they read, in the entity\'s words; a materialized view with its indexes', () => {
    const rooms = view('rooms', ' SELECT bookings.room FROM bookings;', { given: 'SELECT "room" FROM "bookings"', reads: [{ schema: 'public', name: 'bookings', columns: ['room'] }] });
    const busy = view('busy_rooms', ' SELECT rooms.room FROM rooms;', { given: 'SELECT "room" FROM "rooms";', reads: [{ schema: 'public', name: 'rooms', columns: ['room'] }] });
    const totals = view('totals', ' SELECT count(*) AS n FROM bookings;', {
      materialized: true, given: 'SELECT count(*) AS "n" FROM "bookings"',
      indexes: [{ name: 'totals_n', keys: [{ column: 'n', expression: null, descending: false, nullsNotDefault: false }], unique: true, method: 'btree', where: null }],
    });
    const { plan } = planModels(withViews([bookings()], []), withViews([bookings()], [busy, rooms, totals]), 18);
    expect(plan.needs).toEqual([]);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual([
      'CREATE VIEW "public"."rooms" AS SELECT "room" FROM "bookings"',
      'CREATE VIEW "public"."busy_rooms" AS SELECT "room" FROM "rooms"',
      'CREATE MATERIALIZED VIEW "public"."totals" AS SELECT count(*) AS "n" FROM "bookings"',
      'CREATE UNIQUE INDEX "totals_n" ON "public"."totals" ("n")',
    ]);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual(['DROP MATERIALIZED VIEW "public"."totals"', 'DROP VIEW "public"."busy_rooms"', 'DROP VIEW "public"."rooms"']);
  });

  it('CREATE OR REPLACE when the old columns lead the new ones; a new index on a materialized view is concurrent', () => {
    const from = view('rooms', 'old', { columns: cols('room') });
    const to = view('rooms', 'new', { given: 'SELECT "room", "price" FROM "bookings"', columns: cols('room', 'price') });
    const { plan } = planModels(withViews([bookings()], [from]), withViews([bookings()], [to]), 18);
    expect(plan.trace.map((t) => t.rule)).toEqual(['create-view']);
    expect(plan.steps[0]!.up.map((s) => s.sql)).toEqual(['CREATE OR REPLACE VIEW "public"."rooms" AS SELECT "room", "price" FROM "bookings"']);
    expect(plan.steps[0]!.down.map((s) => s.sql)).toEqual(['DROP VIEW "public"."rooms"', 'CREATE VIEW "public"."rooms" AS old']);
    const index = { name: 'm_room', keys: [{ column: 'room', expression: null, descending: false, nullsNotDefault: false }], unique: false, method: 'btree', where: null };
    const matview = (indexes: typeof index[]) => view('m', 'q', { materialized: true, indexes });
    const indexed = planModels(withViews([bookings()], [matview([])]), withViews([bookings()], [matview([index])]), 18).plan;
    expect(indexed.trace.map((t) => t.rule)).toEqual(['create-index-concurrently']);
    expect(indexed.steps[0]!.transactional).toBe(false);
    expect(indexed.steps[0]!.up[0]!.sql).toBe('CREATE INDEX CONCURRENTLY "m_room" ON "public"."m" ("room")');
  });
});

describe('create-view (on the server)', () => {
  it('creates a view over a view and a materialized view with its index, then replaces one; downs restore', async () => {
    const before = 'CREATE TABLE bookings (id serial PRIMARY KEY, room integer NOT NULL, price integer); INSERT INTO bookings (room, price) SELECT i, i FROM generate_series(1, 200) i;';
    const rooms = view('rooms', 'SELECT "id", "room" FROM "bookings"');
    const busy = view('busy_rooms', 'SELECT "room" FROM "rooms" WHERE "room" > 10', { dependsOn: [{ schema: 'public', name: 'rooms' }] });
    const totals = view('totals', 'SELECT "room", count(*) AS "n" FROM "bookings" GROUP BY "room"', {
      materialized: true,
      indexes: [{ name: 'totals_room', keys: [{ column: 'room', expression: null, descending: false, nullsNotDefault: false }], unique: true, method: 'btree', where: null }],
    });
    await runOnServer(before, withViews([bookings()], [busy, rooms, totals]), {}, async (_i, client) => {
      expect((await client.query('SELECT count(*)::int AS n FROM busy_rooms')).rows[0].n).toBe(190);
      expect((await client.query('SELECT count(*)::int AS n FROM totals')).rows[0].n).toBe(200);
    });
    const withRooms = `${before} CREATE VIEW rooms AS SELECT id, room FROM bookings;`;
    const { plan } = await runOnServer(withRooms, withViews([bookings()], [view('rooms', 'SELECT "id", "room", "price" FROM "bookings"')]));
    expect(plan.steps[0]!.up[0]!.sql).toMatch(/^CREATE OR REPLACE VIEW/);
  });
});
