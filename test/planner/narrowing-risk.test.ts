/**
 * "Rows at risk" of a narrowing type change, counted on a real server: exact for numeric precision and
 * scale and for lengths, and no false claim when only the text form differs (numeric(18,2)→(18,4)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrowingRiskPredicate } from '../../src/planner/type-change-facts';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { col } from '../helpers/model';

describe('narrowingRiskPredicate', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(`CREATE TABLE t (id int PRIMARY KEY, amount numeric(18,2), note text, n bigint);
      INSERT INTO t SELECT g, g / 4.0, repeat('x', g % 12), g * 1000 FROM generate_series(1, 2000) g;
      INSERT INTO t VALUES (5001, 123456789012345.67, 'short', 3000000000), (5002, 99999999999999.99, 'ok', 1)`);
  });
  afterAll(async () => { await db.drop(); });

  const count = async (name: string, from: string, to: string) => {
    const predicate = narrowingRiskPredicate(`"${name}"`, col(name, from), col(name, to), to, from);
    return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM t WHERE ${predicate}`))[0]!.n;
  };

  it('numeric(18,2)→(18,4): only values of 10^14 and more are at risk, not every row', async () => {
    expect(await count('amount', 'numeric(18,2)', 'numeric(18,4)')).toBe(1);
  });
  it('numeric(18,2)→(18,1): the values a rounding changes (x.25, x.75) plus the overflow', async () => {
    // g / 4.0 has .25 or .75 for odd g: 1000 rows; 5001 and 5002 (.67, .99) round too.
    expect(await count('amount', 'numeric(18,2)', 'numeric(18,1)')).toBe(1002);
  });
  it('text→varchar(10): longer values; bigint→integer: values that do not fit fail the count', async () => {
    expect(await count('note', 'text', 'character varying(10)')).toBe(166); // g % 12 = 11: 11 characters
    await expect(count('n', 'bigint', 'integer')).rejects.toThrow(/out of range/);
  });
});
