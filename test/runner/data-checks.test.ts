/**
 * The data checks on a real server: each refuses on bad rows with the exact count and sample keys, and
 * passes on clean data. Narrowing follows the conversion's exact semantics (overflow abs(v) >= 10^(p-s),
 * scale rounding, length, failing casts found row by row) — and never the text form (numeric(18,2) →
 * numeric(18,4) changes nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import type { Precheck } from '../../src/planner/precheck';
import { formatPrecheck } from '../../src/planner/precheck';
import { prechecksOf } from '../../src/runner/data-checks/header';
import { describeFinding } from '../../src/runner/data-checks/describe-finding';
import { runCheck } from '../../src/runner/data-checks/run-checks';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const items = { schema: 'public', name: 'items' };
const base = { table: items, primaryKey: ['id'], atPlanTime: true };

function narrowing(column: string, from: string, to: string, changesAccepted = false): Precheck {
  const type = (dataType: string) => ({ dataType, sql: dataType, viaText: false, isArray: false });
  return { ...base, kind: 'narrowing', column, from: type(from), to: type(to), changesAccepted };
}

describe('data checks', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_checks');
    await db.query(`
      CREATE TABLE owners (id int PRIMARY KEY);
      INSERT INTO owners SELECT generate_series(1, 10);
      CREATE TABLE items (id int PRIMARY KEY, email text, code text, owner_id int, amount numeric(18,2), label text, n bigint, kind text);
      INSERT INTO items SELECT g, 'u' || g || '@x', 'c' || g, 1 + g % 10, g / 4.0, repeat('x', 1 + g % 12), g, 'ok' FROM generate_series(1, 2000) g;
      -- dirty rows: duplicates (one NULL pair that never clashes), NULLs, orphans, values that do not fit
      UPDATE items SET email = 'dup@x' WHERE id IN (5, 6, 7);
      UPDATE items SET email = 'twice@x' WHERE id IN (8, 9);
      UPDATE items SET email = NULL WHERE id IN (10, 11);
      UPDATE items SET code = NULL WHERE id IN (12, 13, 14);
      UPDATE items SET owner_id = 99 WHERE id IN (15, 16);
      UPDATE items SET owner_id = NULL WHERE id = 17;
      UPDATE items SET amount = 123456789012345.67 WHERE id = 18;
      UPDATE items SET n = 3000000000 WHERE id = 19;
      UPDATE items SET kind = '12x' WHERE id = 20;
      UPDATE items SET kind = '7' WHERE id > 20;`);
    client = await db.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('unique: counts duplicated keys and their rows, samples the worst first; NULL keys never clash', async () => {
    const check: Precheck = { ...base, kind: 'unique', index: 'items_email_key', keys: ['"email"'], where: null };
    const finding = await runCheck(client, check);
    expect(finding).toMatchObject({ refusing: 2, rows: 5 });
    expect(finding.samples.map((s) => [s.key, s.value])).toEqual([['dup@x', '3'], ['twice@x', '2']]);
    expect(describeFinding(finding)).toContain('2 values of ("email") occur more than once (5 rows), e.g. dup@x ×3; twice@x ×2');
    const partial = await runCheck(client, { ...check, where: `"id" > 7` });
    expect(partial.refusing).toBe(1);
    expect((await runCheck(client, { ...check, keys: ['"id"'] })).refusing).toBe(0);
  });

  it('not-null: counts the NULLs and names their primary keys', async () => {
    const finding = await runCheck(client, { ...base, kind: 'not-null', column: 'code' });
    expect(finding.refusing).toBe(3);
    expect(finding.samples.map((s) => s.key)).toEqual(['12', '13', '14']);
    expect(describeFinding(finding)).toBe('items.code: 3 rows hold NULL, e.g. id 12; id 13; id 14: NOT NULL cannot be validated');
    expect((await runCheck(client, { ...base, kind: 'not-null', column: 'label' })).refusing).toBe(0);
  });

  it('foreign key: counts orphans (a NULL key references nothing), with key and dangling value', async () => {
    const check: Precheck = {
      ...base, kind: 'foreign-key', constraint: 'items_owner_fkey', columns: ['owner_id'],
      referencedTable: { schema: 'public', name: 'owners' }, referencedColumns: ['id'],
    };
    const finding = await runCheck(client, check);
    expect(finding.refusing).toBe(2);
    expect(finding.samples.map((s) => [s.key, s.value])).toEqual([['15', '99'], ['16', '99']]);
    expect(describeFinding(finding)).toContain('2 rows point at no owners row, e.g. id 15 → 99; id 16 → 99');
    await client.query('INSERT INTO owners VALUES (99)');
    try {
      expect((await runCheck(client, check)).refusing).toBe(0);
    } finally {
      await client.query('DELETE FROM owners WHERE id = 99');
    }
  });

  it('check: counts the rows whose expression is false (NULL passes, as in PostgreSQL), with their keys', async () => {
    const check: Precheck = { ...base, kind: 'check', constraint: 'items_owner_check', expression: '"owner_id" <= 10' };
    const finding = await runCheck(client, check);
    // 15 and 16 point at 99; 17 holds NULL, which satisfies a CHECK.
    expect(finding).toMatchObject({ refusing: 2, rows: 2 });
    expect(finding.samples.map((s) => s.key)).toEqual(['15', '16']);
    expect(describeFinding(finding)).toBe('items: 2 rows violate items_owner_check ("owner_id" <= 10), e.g. id 15; id 16: the check cannot be validated');
    expect((await runCheck(client, { ...check, expression: '"owner_id" <= 99' })).refusing).toBe(0);
    const header = `-- ${formatPrecheck(check)}\nSELECT 1;`;
    expect(prechecksOf('000003_x.up.sql', header)).toEqual([check]);
  });

  it('numeric: overflow is abs(round(v, s)) >= 10^(p-s), rounding is a changed value; the text form counts for nothing', async () => {
    // numeric(18,2) → (18,4): only 123456789012345.67 (15 digits before the point, 14 allowed) fails.
    const wider = await runCheck(client, narrowing('amount', 'numeric(18,2)', 'numeric(18,4)'));
    expect(wider).toMatchObject({ refusing: 1, failing: 1, changed: 0 });
    expect(wider.samples[0]).toMatchObject({ key: '18', failing: true });
    // → (18,1): every x.25 / x.75 (odd g: 1000 rows) rounds, and so does row 18's .67.
    const coarser = await runCheck(client, narrowing('amount', 'numeric(18,2)', 'numeric(18,1)'));
    expect(coarser).toMatchObject({ failing: 0, changed: 1001 });
    const accepted = await runCheck(client, narrowing('amount', 'numeric(18,2)', 'numeric(18,1)', true));
    expect(accepted).toMatchObject({ refusing: 0, changed: 0 });
  });

  it('length: a string longer than varchar(n) is counted as shortened; accepted with --allow-destructive', async () => {
    const finding = await runCheck(client, narrowing('label', 'text', 'character varying(10)'));
    expect(finding).toMatchObject({ refusing: 332, failing: 0, changed: 332 }); // 1 + g % 12 > 10: g % 12 in {10, 11}
    expect((await runCheck(client, narrowing('label', 'text', 'character varying(10)', true))).refusing).toBe(0);
  });

  it('integer range: bigint → integer fails exactly the values out of range', async () => {
    const finding = await runCheck(client, narrowing('n', 'bigint', 'integer', true));
    expect(finding).toMatchObject({ refusing: 1, failing: 1 });
    expect(finding.samples[0]).toMatchObject({ key: '19', value: '3000000000' });
  });

  it('failing casts: text → integer is cast row by row, counting failures with the server message', async () => {
    const finding = await runCheck(client, narrowing('kind', 'text', 'integer'));
    // 'ok' (ids 1–20 except 20) and '12x' fail; '7' converts back unchanged.
    expect(finding).toMatchObject({ failing: 20, changed: 0, refusing: 20 });
    expect(finding.samples[0]).toMatchObject({ key: '1', value: 'ok', failing: true });
    expect(finding.samples[0]!.error).toMatch(/invalid input syntax for (type )?integer/);
    expect(describeFinding(finding)).toContain('20 rows do not convert to integer, e.g. id 1 = ok (invalid input syntax');
    // Accepting changed values (--allow-destructive) never accepts a value that fails.
    expect(await runCheck(client, narrowing('kind', 'text', 'integer', true))).toMatchObject({ failing: 20, refusing: 20 });
    expect(await runCheck(client, narrowing('code', 'text', 'character varying(3)', true))).toMatchObject({ refusing: 0 });
    // Read-only all along: nothing was left behind.
    const { rows } = await client.query("SELECT current_setting('pgshift.check_result', true) AS r");
    expect(rows[0].r ?? '').toBe('');
  });

  it('header lines: written by formatPrecheck, read back by prechecksOf (only from the leading comments)', () => {
    const check: Precheck = { ...base, kind: 'not-null', column: 'co"de\nDROP TABLE x' };
    const text = ['-- 000002_x.up.sql · generated by pgshift', `-- ${formatPrecheck(check)}`, '', 'SELECT 1;', `-- ${formatPrecheck(check)}`].join('\n');
    expect(prechecksOf('000002_x.up.sql', text)).toEqual([check]);
    expect(() => prechecksOf('000002_x.up.sql', '-- pgshift precheck: {"kind":"nope"}\nSELECT 1;')).toThrow(/unreadable data check/);
  });
});
