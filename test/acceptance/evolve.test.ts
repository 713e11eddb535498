/**
 * Before entities → after entities, as data: each case is `test/fixtures/evolve/<case>.ts` against
 * `before.ts` (or its `from`), on a populated table. The loop (test/helpers/acceptance.ts) applies the plan as
 * golang-migrate would, re-diffs to empty, runs the contract, and proves the downs restore the catalog.
 * Every case runs across versions (test/helpers/cross-version.ts): planned on one major for a target,
 * applied on another.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadEntityModel } from '../../src/entity-loader';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { evolveAndVerify } from '../helpers/acceptance';
import { REPO_ROOT } from '../helpers/cli';
import { CROSS_VERSIONS, openPair, type OpenPair, type PairTemplate } from '../helpers/cross-version';
import type { TestDatabase } from '../helpers/db';

const FIXTURES = 'test/fixtures/evolve';
const ROWS = 3000;

interface Case {
  /** The fixture: test/fixtures/evolve/<name>.ts */
  readonly name: string;
  readonly title?: string;
  /** The starting fixture when not `before.ts` (it must keep before.ts's columns: seed() fills them). */
  readonly from?: string;
  readonly decisions?: Partial<Decisions>;
  /** A query whose result must be the same before and after (data preserved). */
  readonly preserved?: readonly [before: string, after: string];
}

const checksum = (column: string) => `SELECT md5(string_agg(id || ':' || coalesce(${column}::text, '∅'), ',' ORDER BY id)) AS sum FROM accounts`;

const CASES: readonly Case[] = [
  { name: 'add-nullable-column' },
  { name: 'add-not-null-constant-default' },
  { name: 'add-required-column', decisions: { backfills: new Map([['public.accounts.region', "'eu'"]]) } },
  { name: 'add-index' },
  { name: 'add-unique' },
  { name: 'add-fk' },
  { name: 'add-check' },
  { name: 'set-not-null', preserved: [checksum('note'), checksum('note')] },
  { name: 'rename-column', decisions: { columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'note', to: 'remark' }] }, preserved: [checksum('note'), checksum('remark')] },
  {
    name: 'rename-two-indexed-columns', from: 'composite-on-name-note',
    decisions: { columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'name', to: 'title' }, { table: { schema: 'public', name: 'accounts' }, from: 'note', to: 'remark' }] },
    preserved: [checksum("name || '/' || note"), checksum("title || '/' || remark")],
  },
  {
    name: 'rename-beside-dropped-column', from: 'composite-on-name-note',
    decisions: { allowDestructive: true, columnRenames: [{ table: { schema: 'public', name: 'accounts' }, from: 'note', to: 'remark' }] },
    preserved: [checksum('note'), checksum('remark')],
  },
  { name: 'widen-varchar', preserved: [checksum('name'), checksum('name')] },
  { name: 'integer-to-bigint', preserved: [checksum('score'), checksum('score')] },
  // A scale change expands through a shadow column: until the contract runs, `balance` keeps its type.
  { name: 'numeric-scale', preserved: [checksum('balance::numeric(12,4)'), checksum('balance::numeric(12,4)')] },
  { name: 'drop-column', decisions: { allowDestructive: true } },
  { name: 'change-default' },
  { name: 'new-table-with-fk-and-index' },
  { name: 'enum-add-value', preserved: [checksum('status'), checksum('status')] },
  { name: 'add-required-column', title: 'add-required-column (computed backfill)', decisions: { backfills: new Map([['public.accounts.region', 'left(name, 10)']]) } },
];

async function seed(db: TestDatabase): Promise<void> {
  await db.query(`INSERT INTO owners (label) SELECT 'owner ' || i FROM generate_series(1, 10) i`);
  await db.query(
    `INSERT INTO accounts (name, score, balance, note, status)
     SELECT 'n' || i, i % 100, (i * 1.25)::numeric(10,2), 'note ' || i, (CASE WHEN i % 7 = 0 THEN 'blocked' ELSE 'active' END)::account_status
     FROM generate_series(1, ${ROWS}) i`,
  );
}

describe.each(CROSS_VERSIONS)('evolving a populated schema, case by case ($title)', (cv) => {
  /**
   * The starting point of each case — the `from` fixture planned, proven and applied on both servers, then
   * seeded — is the same for every case that starts there: made (and proven) once per starting fixture,
   * each case runs on copies of its databases (CREATE DATABASE … TEMPLATE).
   */
  const starts = new Map<string, Promise<PairTemplate>>();
  const startingPoint = (from: string): Promise<PairTemplate> => {
    if (!starts.has(from)) starts.set(from, (async () => {
      const start = await openPair('pgshift_evolve_start', cv);
      try {
        const before = await loadEntityModel(`${FIXTURES}/${from}.ts`, { cwd: REPO_ROOT });
        await evolveAndVerify(start, before.model);
        await seed(start.applyDb);
      } catch (error) {
        await start.close();
        throw error;
      }
      return start.asTemplate();
    })());
    return starts.get(from)!;
  };
  let pair: OpenPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });
  afterAll(async () => {
    for (const start of starts.values()) await (await start.catch(() => undefined))?.drop();
  });

  it.each(CASES.map((c) => ({ ...c, title: c.title ?? c.name })))('$title', async ({ name, from, decisions, preserved }) => {
    pair = await openPair('pgshift_evolve', cv, await startingPoint(from ?? 'before'));
    const client = pair.applyOn;
    const beforeSum = preserved ? (await client.query(preserved[0])).rows[0].sum : undefined;
    const after = await loadEntityModel(`${FIXTURES}/${name}.ts`, { cwd: REPO_ROOT });
    const result = await evolveAndVerify(pair, after.model, { ...NO_DECISIONS, ...decisions });
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.up.content.includes(`-- planned for PostgreSQL ${cv.targetMajor}+`))).toBe(true);
    if (preserved) expect((await client.query(preserved[1])).rows[0].sum).toBe(beforeSum);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM accounts');
    expect(rows[0].n).toBe(ROWS);
  });
});
