/**
 * Drift in a view, a materialized view, an exclusion or a generated column makes `pgshift check` exit 2
 * (issue 12: these used to be invisible). The database is the one TypeORM's `synchronize` builds from
 * test/fixtures/views-exclusions; each case changes one object by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { synchronizeWithTypeorm } from '../helpers/typeorm-sync';

const CONFIG = 'test/fixtures/views-exclusions/ormconfig.ts';
const check = (url: string) => runCli(['check', '-c', CONFIG, '--database-url', url, '--dir', 'test/fixtures/empty-migrations']);

describe('check sees drift in views, exclusions and generated columns', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_vdrift');
    await synchronizeWithTypeorm(CONFIG, db.url);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('exits 0 on the database TypeORM built', async () => {
    const result = await check(db.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it.each([
    ['a view definition', 'CREATE OR REPLACE VIEW open_bookings AS SELECT id, room, total FROM bookings', 'REPLACE'],
    ['a materialized view index', 'DROP INDEX room_nights_room', 'room_nights_room'],
    ['an exclusion', 'ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap', 'bookings_no_overlap'],
    ['a generation expression', 'ALTER TABLE bookings ALTER COLUMN label DROP EXPRESSION', 'label'],
  ])('exits 2 on drift in %s', async (_what, sql, mentioned) => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      // Commit so that check's own connection sees it; the next case starts from a fresh copy below.
      await client.query('COMMIT');
      const result = await check(db.url);
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toContain(mentioned === 'REPLACE' ? 'open_bookings' : mentioned);
    } finally {
      await client.end();
      await db.drop();
      db = await createTestDatabase('pgshift_vdrift');
      await synchronizeWithTypeorm(CONFIG, db.url);
    }
  }, 180_000);
});
