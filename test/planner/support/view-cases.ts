/**
 * Models and a real-server loop for the view, exclusion and generated-column rules. View definitions,
 * exclusions and generation expressions print differently across majors, so the `from` model is read
 * from the server after the "before" SQL and the `to` model is the raw entity model cooked there — as
 * gen diff does — instead of hand-written cooked text.
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import { cookModel, introspect } from '../../../src/catalog';
import { diffModels } from '../../../src/diff/diff';
import type { SchemaModel, Table, View } from '../../../src/model/schema';
import type { Decisions } from '../../../src/planner/decisions';
import type { Plan } from '../../../src/planner/plan';
import { majorOf } from '../../../src/planner/target-major';
import { createTestDatabase } from '../../helpers/db';
import { columnOrderFree } from '../../helpers/acceptance';
import { expectSquawkClean } from '../../helpers/squawk';
import { col, idColumn, model, table, withPk } from '../../helpers/model';
import { applyDown, planModels, serverVersion } from '../safe-helpers';
import { catalogSnapshot } from '../../helpers/catalog-snapshot';

export function view(name: string, definition: string, options: Partial<View> = {}): View {
  return { schema: 'public', name, materialized: false, definition, columns: [], reads: [], indexes: [], ...options };
}

export const bookings = (extra: Partial<Table> = {}, columns = [idColumn(), col('room', 'integer', { nullable: false }), col('price', 'integer')]): Table =>
  withPk(table('bookings', columns, extra));

export function withViews(tables: Table[], views: View[], options: Partial<SchemaModel> = {}): SchemaModel {
  return model(tables, { ...options, ...(views.length > 0 ? { views } : {}) });
}

export interface ServerRun {
  readonly plan: Plan;
  readonly files: ReturnType<typeof planModels>['files'];
}

/**
 * `before` SQL (schema and rows) → plan to `rawTo` cooked on the server → every up as one query →
 * re-introspect re-diffs empty → `check` after each file via `afterStep` → downs restore the catalog.
 */
export async function runOnServer(before: string, rawTo: SchemaModel, decisions: Partial<Decisions> = {},
  afterStep?: (index: number, client: Client) => Promise<void>): Promise<ServerRun> {
  const db = await createTestDatabase();
  const client = await db.connect();
  try {
    await client.query(before);
    const version = await serverVersion(client);
    const initial = await catalogSnapshot(client);
    const from = await introspect(client);
    const to = await cookModel(client, rawTo);
    const { plan, files } = planModels(from, to, majorOf(version), decisions);
    expect(plan.needs).toEqual([]);
    expectSquawkClean(files, version);
    for (const [i, file] of files.entries()) {
      await client.query(file.up.content);
      await afterStep?.(i, client);
    }
    const after = diffModels(await introspect(client), await cookModel(client, rawTo));
    expect(after.changes).toEqual([]);
    await applyDown(client, files);
    expect(await catalogSnapshot(client)).toEqual(initial);
    // Views are not in the snapshot: the model read back must equal the start too (a re-added column's
    // position aside).
    expect(columnOrderFree(await introspect(client))).toEqual(columnOrderFree(from));
    return { plan, files };
  } finally {
    await client.end();
    await db.drop();
  }
}
