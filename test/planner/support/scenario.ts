/**
 * One expand → backfill → contract scenario on the run's real Postgres: create the "before" schema and
 * rows, plan against the server's version, check every generated file (ups, downs, contract) with squawk, apply the ups one file
 * = one query, run the caller's per-phase checks, apply the contract, compare the schema with a database
 * built straight from the entities, then apply every down in reverse and compare with the start.
 * All of it for the server's own major and, when its SQL differs, again for the portable target.
 */
import type { Client } from 'pg';
import { expect } from 'vitest';
import type { SchemaModel } from '../../../src/model/schema';
import type { Decisions } from '../../../src/planner/decisions';
import type { Plan } from '../../../src/planner/plan';
import { majorOf, PORTABLE_MAJOR } from '../../../src/planner/target-major';
import { createTestDatabase } from '../../helpers/db';
import { catalogSnapshot, type CatalogSnapshot } from '../../helpers/catalog-snapshot';
import { expectSquawkClean } from '../../helpers/squawk';
import { applyDown, applyUp, checksum, createModel, decisions, planFor, render, renderContracts, serverVersionNum } from './expand-harness';

export interface Scenario {
  readonly from: SchemaModel;
  readonly to: SchemaModel;
  readonly decisions?: Decisions;
  /** SQL run after the "before" schema exists, e.g. inserting rows with generate_series. */
  readonly seed: readonly string[];
  /** `SELECT key, value::text` over the data that must survive: before, after expand, after contract. */
  readonly checksums?: { readonly before: string; readonly afterExpand: string; readonly afterContract: string };
  readonly afterExpand?: (client: Client, plan: Plan) => Promise<void>;
  readonly afterContract?: (client: Client) => Promise<void>;
  /** Applied to both sides before comparing with the entities' database (names the model does not track). */
  readonly normalize?: (snapshot: CatalogSnapshot) => CatalogSnapshot;
}

async function runScenarioFor(s: Scenario, targetMajor?: number): Promise<Plan> {
  const db = await createTestDatabase();
  const target = await createTestDatabase();
  const client = await db.connect();
  const targetClient = await target.connect();
  try {
    await createModel(client, s.from);
    for (const sql of s.seed) await client.query(sql);
    const initial = await catalogSnapshot(client);
    const sum = s.checksums ? await checksum(client, s.checksums.before) : null;

    const version = targetMajor ?? majorOf(await serverVersionNum(client));
    const plan = planFor(s.from, s.to, version, s.decisions ?? decisions());
    expect(plan.needs).toEqual([]);
    const files = render(plan);
    const contracts = renderContracts(plan.contracts, files.length);
    expectSquawkClean([...files, ...contracts], version);
    await applyUp(client, files);
    if (s.checksums) expect(await checksum(client, s.checksums.afterExpand)).toBe(sum);
    await s.afterExpand?.(client, plan);

    await applyUp(client, contracts);
    await s.afterContract?.(client);
    if (s.checksums) expect(await checksum(client, s.checksums.afterContract)).toBe(sum);

    await createModel(targetClient, s.to);
    const normalize = s.normalize ?? ((x: CatalogSnapshot) => x);
    expect(normalize(await catalogSnapshot(client))).toEqual(normalize(await catalogSnapshot(targetClient)));

    await applyDown(client, contracts);
    await applyDown(client, files);
    expect(await catalogSnapshot(client)).toEqual(initial);
    return plan;
  } finally {
    await client.end();
    await targetClient.end();
    await db.drop();
    await target.drop();
  }
}

export async function runScenario(s: Scenario): Promise<Plan> {
  const own = await runScenarioFor(s);
  const portable = planFor(s.from, s.to, PORTABLE_MAJOR, s.decisions ?? decisions());
  const sql = (p: Plan) => JSON.stringify([render(p).map((f) => [f.up.content, f.down.content]), p.contracts]);
  if (sql(portable) !== sql(own)) await runScenarioFor(s, PORTABLE_MAJOR);
  return own;
}
