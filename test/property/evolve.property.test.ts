/**
 * Property A, on a real server: for a random schema `before` and a random evolution `after` of it,
 * build `before` from an empty database through pgshift's own plan, fill it with a few rows, then plan
 * `before → after` and prove it the way test/helpers/acceptance.ts does (apply the ups as golang-migrate
 * would, re-diff to empty, contract, re-diff to empty, downs restore the catalog). Rows of tables that
 * survive must survive too, and every value a kept column held must read back the same after the plan
 * and after its contract (test/property/values.ts).
 *
 * Reproduce a failure with the seed (and path) fast-check prints (test/property/parameters.ts):
 *   PGSHIFT_PROPERTY_SEED=<seed> PGSHIFT_PROPERTY_PATH=<path> npx vitest run test/property/evolve.property.test.ts
 * The default seed is fixed (main stays deterministic); explore with PGSHIFT_PROPERTY_SEED=random and
 * PGSHIFT_PROPERTY_RUNS=2000 PGSHIFT_PROPERTY_TIME_LIMIT=900000.
 */
import fc from 'fast-check';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { ident, qualified } from '../../src/sql/quote';
import { applyUps, evolveAndVerify } from '../helpers/acceptance';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { SquawkBatch } from '../helpers/squawk';
import { schemaSpec } from './arbitraries';
import { knownGaps } from './known-gaps';
import { applyMutations, mutationList } from './mutations';
import { PROPERTY_TEST_TIMEOUT, propertyParameters } from './parameters';
import { backfillDecisions, insertStatements, renameDecisions } from './rows';
import { buildModel, findTable, type SchemaSpec } from './spec';
import { expectValuesKept, snapshotValues } from './values';

/** Back to an empty database without the cost of a new one: every schema a spec may use goes. */
async function reset(client: Client, specs: readonly SchemaSpec[]): Promise<void> {
  const schemas = [...new Set(specs.flatMap((s) => s.schemas))];
  await client.query(`DROP SCHEMA IF EXISTS ${schemas.map(ident).join(', ')} CASCADE; CREATE SCHEMA public`);
}

async function rowCounts(client: Client, spec: SchemaSpec): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of spec.tables) {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${qualified(table)}`);
    counts.set(`${table.schema}.${table.name}`, rows[0].n);
  }
  return counts;
}

describe('random schema pairs evolve on a real server (property)', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_property');
    client = await db.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('plans every before → after so that it applies, re-diffs empty and rolls back; squawk finds nothing', async () => {
    // Every file of every run, linted in one squawk run at the end (cheap; a finding names its file).
    const squawk = new SquawkBatch();
    await fc.assert(
      fc.asyncProperty(schemaSpec, mutationList, fc.nat(3), async (before, mutations, rows) => {
        const after = applyMutations(before, mutations);
        fc.pre(knownGaps(before, after, rows).length === 0);
        await reset(client, [before, after]);
        await evolveAndVerify(client, buildModel(before), NO_DECISIONS, squawk);
        for (const sql of insertStatements(before, rows)) await client.query(sql);
        const values = await snapshotValues(client, before);

        const result = await evolveAndVerify(client, buildModel(after), {
          ...NO_DECISIONS,
          allowDestructive: true,
          // Tables and enums the second spec no longer has are meant to go (--drop-unmanaged).
          dropUnmanaged: true,
          backfills: backfillDecisions(before, after),
          columnRenames: renameDecisions(before, after),
          batchSize: 100,
        }, squawk);

        const kept = { ...before, tables: before.tables.filter((t) => findTable(after, t)) };
        for (const count of (await rowCounts(client, kept)).values()) expect(count).toBe(rows);
        await expectValuesKept(client, before, after, values, 'after the plan');
        // evolveAndVerify leaves the plan applied without its contract: the contract must keep them too.
        await applyUps(client, result.contractFiles);
        await expectValuesKept(client, before, after, values, 'after the contract');
      }),
      propertyParameters(60),
    );
    expect(squawk.size).toBeGreaterThan(0);
    squawk.expectClean();
  }, PROPERTY_TEST_TIMEOUT);
});
