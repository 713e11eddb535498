/**
 * A plan for target N must be SQL that PostgreSQL N accepts: every version-dependent plan shape is
 * planned for each target and applied (ups, then downs) on a server of that major — the portable plan
 * on the oldest major the run has (15). The last test shows the check is sharp: the PG 18 form fails on
 * 15 with the syntax error users saw before plans had a target.
 */
import { describe, expect, it } from 'vitest';
import type { SchemaModel } from '../../src/model/schema';
import { backfillKey, type Decisions } from '../../src/planner/decisions';
import { assembleSteps } from '../../src/planner/assemble';
import { PORTABLE_MAJOR } from '../../src/planner/target-major';
import { createTestDatabase } from '../helpers/db';
import { col, idColumn, model, table, withPk } from '../helpers/model';
import { applyDown, applyUp, createModel, decisions, planFor, render, renderContracts } from './support/expand-harness';

const USERS = { schema: 'public', name: 'users' };
const users = (...columns: ReturnType<typeof col>[]) => model([withPk(table('users', [idColumn(), ...columns]))]);

const SHAPES: ReadonlyArray<{ name: string; from: SchemaModel; to: SchemaModel; decisions?: Decisions }> = [
  { name: 'SET NOT NULL', from: users(col('email', 'text')), to: users(col('email', 'text', { nullable: false })) },
  { name: 'required column with backfill', from: users(col('email', 'text')), to: users(col('email', 'text'), col('region', 'text', { nullable: false })), decisions: decisions({ backfills: new Map([[backfillKey('public', 'users', 'region'), 'left(email, 2)']]) }) },
  { name: 'integer → bigint, NOT NULL', from: users(col('score', 'integer', { nullable: false })), to: users(col('score', 'bigint', { nullable: false })) },
  { name: 'rename of a NOT NULL column', from: users(col('email', 'text', { nullable: false })), to: users(col('mail', 'text', { nullable: false })), decisions: decisions({ columnRenames: [{ table: USERS, from: 'email', to: 'mail' }] }) },
];

const TARGETS = [
  { target: PORTABLE_MAJOR, server: 15 },
  { target: 15, server: 15 },
  { target: 18, server: 18 },
];

async function applyOn(server: number, shape: (typeof SHAPES)[number], target: number): Promise<void> {
  const db = await createTestDatabase('pgshift_syntax', { major: server });
  const client = await db.connect();
  try {
    await createModel(client, shape.from);
    await client.query(`INSERT INTO users (${shape.from.tables[0]!.columns[1]!.name}) SELECT ${shape.from.tables[0]!.columns[1]!.dataType === 'text' ? "'u' || g" : 'g'} FROM generate_series(1, 50) g`);
    const plan = planFor(shape.from, shape.to, target, shape.decisions ?? decisions());
    expect(plan.needs).toEqual([]);
    const files = render(plan);
    const contracts = renderContracts(plan.contracts, files.length);
    for (const f of [...files, ...contracts]) expect(f.up.content).not.toBe('');
    await applyUp(client, files);
    await applyUp(client, contracts);
    await applyDown(client, contracts);
    await applyDown(client, files);
    expect(assembleSteps(plan.contracts.flatMap((c) => c.fragments)).length).toBe(contracts.length);
  } finally {
    await client.end();
    await db.drop();
  }
}

describe('a plan for target N runs on PostgreSQL N', () => {
  describe.each(TARGETS)('target $target on PostgreSQL $server', ({ target, server }) => {
    it.each(SHAPES)('$name', async (shape) => {
      await applyOn(server, shape, target);
    });
  });

  it('is sharp: the PG 18 plan of a SET NOT NULL fails on PostgreSQL 15', async () => {
    await expect(applyOn(15, SHAPES[0]!, 18)).rejects.toThrow(/syntax error at or near "NOT"/);
  });
});
