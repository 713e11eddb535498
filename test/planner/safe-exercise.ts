/**
 * The execution test every rules-safe case goes through, on the run's real server:
 *  1. a fresh database gets the "before" schema and rows (plain SQL);
 *  2. the plan for `from` → `to` is rendered with planFiles and linted with squawk, ups and downs (no findings);
 *  3. each up file's whole text runs as ONE query, as golang-migrate does; `afterStep` checks
 *     per-phase behaviour (old-app writes, rows filled…);
 *  4. the resulting catalog equals the one the "target" SQL builds directly (in a scratch schema), the
 *     introspected model diffs empty against `to` (and the "before" one against `from`), and the
 *     checksum of the data is unchanged;
 *  5. the downs run in reverse and the catalog equals the one before.
 * All of it for the server's own major and, when its SQL differs, again for the portable target (a plan
 * for an older major applied on this one).
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import { introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import type { StepFiles } from '../../src/emit/plan-files';
import type { SchemaModel } from '../../src/model/schema';
import type { Decisions } from '../../src/planner/decisions';
import type { Plan } from '../../src/planner/plan';
import { majorOf, PORTABLE_MAJOR } from '../../src/planner/target-major';
import { createTestDatabase } from '../helpers/db';
import { expectSquawkClean } from '../helpers/squawk';
import { applyDown, planModels, serverVersion } from './safe-helpers';
import { catalogSnapshot } from '../helpers/catalog-snapshot';

export interface Scenario {
  /** SQL for the schema and rows before the migration. */
  readonly before: string;
  /** SQL that builds the schema the entities want on an empty database (the reference). */
  readonly target: string;
  readonly from: SchemaModel;
  readonly to: SchemaModel;
  readonly decisions?: Partial<Decisions>;
  /** A query returning one row with one column `sum`: equal before and after the ups. */
  readonly checksum?: string;
  /** Called after up file `index` (0-based) ran. */
  readonly afterStep?: (index: number, file: StepFiles, client: Client) => Promise<void>;
}

export interface Exercised {
  readonly plan: Plan;
  readonly files: StepFiles[];
  readonly serverVersion: number;
}

/** The catalog the target SQL builds, in a scratch schema of the same database (dropped after). */
async function referenceSnapshot(client: Client, target: string): Promise<unknown> {
  await client.query(`CREATE SCHEMA ${REF_SCHEMA}; SET search_path = ${REF_SCHEMA}; ${target}; RESET search_path`);
  const snapshot = await catalogSnapshot(client, { schema: REF_SCHEMA });
  await client.query(`DROP SCHEMA ${REF_SCHEMA} CASCADE`);
  return snapshot;
}

const REF_SCHEMA = 'pgshift_reference';

async function checksum(client: Client, sql: string | undefined): Promise<unknown> {
  if (!sql) return null;
  const { rows } = await client.query(sql);
  return rows[0]?.sum;
}

async function exerciseFor(s: Scenario, targetMajor?: number): Promise<Exercised> {
  const db = await createTestDatabase();
  const client = await db.connect();
  try {
    await client.query(s.before);
    const version = await serverVersion(client);
    const before = await catalogSnapshot(client);
    // The hand-built `from` model is what the catalog introspector reads from the "before" SQL.
    expect(diffModels(await introspect(client), s.from).changes).toEqual([]);
    const sumBefore = await checksum(client, s.checksum);

    const { plan, files } = planModels(s.from, s.to, targetMajor ?? majorOf(version), s.decisions);
    expect(plan.needs).toEqual([]);
    expectSquawkClean(files, version);

    for (const [i, file] of files.entries()) {
      await client.query(file.up.content);
      await s.afterStep?.(i, file, client);
    }
    expect(await catalogSnapshot(client)).toEqual(await referenceSnapshot(client, s.target));
    // Re-planning from the migrated database finds nothing left to do.
    expect(diffModels(await introspect(client), s.to).changes).toEqual([]);
    expect(await checksum(client, s.checksum)).toEqual(sumBefore);

    await applyDown(client, files);
    expect(await catalogSnapshot(client)).toEqual(before);
    return { plan, files, serverVersion: version };
  } finally {
    await client.end();
    await db.drop();
  }
}

const sameSql = (a: readonly StepFiles[], b: readonly StepFiles[]) => JSON.stringify(a.map((f) => [f.up.content, f.down.content])) === JSON.stringify(b.map((f) => [f.up.content, f.down.content]));

export async function exercise(s: Scenario): Promise<Exercised> {
  const own = await exerciseFor(s);
  if (!sameSql(planModels(s.from, s.to, PORTABLE_MAJOR, s.decisions).files, own.files)) await exerciseFor(s, PORTABLE_MAJOR);
  return own;
}
