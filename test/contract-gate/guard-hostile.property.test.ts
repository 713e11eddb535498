/**
 * The guard a contract file starts with (src/contract-gate/guard.ts) carries contract ids — built from
 * schema, table and column names the entities chose — inside a DO block. Whatever those names hold
 * (quotes, `;`, `--`, `$$`, newlines), the guard must parse and run on the real server, find the usage
 * row the expand wrote, let the file through while the old shape is quiet and refuse it, naming the
 * contract, once a write arrived through it.
 */
import fc from 'fast-check';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardStatement } from '../../src/contract-gate/guard';
import { NOTE_WRITE_FUNCTION, startWatching, type WatchedShape } from '../../src/planner/contract-usage';
import { ident, qualified } from '../../src/sql/quote';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const HOSTILE = fc.constantFrom("'", '"', ';', '--', '/*', '$$', '$pgshift_guard$', '\n', '%', '\\', ' ', 'é');
const hostileName = fc.array(fc.oneof(HOSTILE, fc.stringMatching(/^[a-z]{1,4}$/)), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('').slice(0, 40));

describe('the contract guard with hostile names (property)', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_guard_hostile');
    client = await db.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('parses, passes a quiet old shape and refuses a used one, naming the contract', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostileName, hostileName, async (schema, table, column) => {
        const shape: WatchedShape = { contract: `rename-column:${schema}.${table}.${column}`, schema, table, column };
        await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
        await client.query(`CREATE SCHEMA ${ident(schema)}`);
        for (const s of startWatching(shape)) await client.query(s.sql);
        const guard = guardStatement([shape.contract], 60 * 60 * 1000)!.sql;
        await client.query(guard);
        await client.query(`SELECT ${qualified({ schema, name: NOTE_WRITE_FUNCTION })}($1)`, [shape.contract]);
        const refused = await client.query(guard).then(() => null, (error: Error) => error.message);
        expect(refused).toContain('pgshift contract gate');
        expect(refused).toContain(shape.contract);
      }),
      { numRuns: 25, seed: 20261201 },
    );
  });
});
