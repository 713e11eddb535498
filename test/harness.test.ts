import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/db';

describe('test harness', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => { await db?.drop(); });

  it('gives each test a fresh database on a real server', async () => {
    db = await createTestDatabase();
    const rows = await db.query<{ n: number }>('select count(*)::int as n from pg_class where relnamespace = $1::regnamespace', ['public']);
    expect(rows[0]!.n).toBe(0);
  });
});
