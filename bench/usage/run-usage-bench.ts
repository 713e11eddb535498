/**
 * The write overhead of issue #15's usage evidence, side by side on one server: the same old-shape writes
 * (autocommit single-row UPDATEs of the old column by concurrent clients, or writes through a table
 * rename's compatibility view) on a copy of the same table
 *  - `none`: no trigger (the table before the expand);
 *  - `sync`: the expand's trigger without the usage note (pgshift before #15; views: the bare view);
 *  - `sync+usage`: the expand exactly as planned, stamping pgshift_contract_usage at most once a second.
 * Variants run interleaved, round by round, each on a fresh database, with synchronous_commit off (the
 * commit's flush is the same for all and only adds disk noise); the report gives medians and ratios.
 */
import { Client } from 'pg';
import { diffModels } from '../../src/diff/diff';
import type { Column, SchemaModel, Table } from '../../src/model/schema';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import { planChanges } from '../../src/planner/plan';
import { createTableSql } from '../../src/sql/column-sql';
import { databaseUrl } from '../lib/admin-db';
import { median, round } from '../lib/stats';

export interface UsageBenchOptions {
  readonly adminUrl: string;
  readonly rows: number;
  readonly writers: number;
  readonly writesPerWriter: number;
  readonly rounds: number;
  readonly databasePrefix?: string;
  readonly log?: (line: string) => void;
}

export type Variant = 'none' | 'sync' | 'sync+usage';
const VARIANTS: readonly Variant[] = ['none', 'sync', 'sync+usage'];

export interface UsageWorkloadResult {
  readonly workload: 'column-rename' | 'table-rename';
  readonly medianMs: Record<Variant, number>;
  readonly runsMs: Record<Variant, number[]>;
  /** sync+usage ÷ none, sync+usage ÷ sync. */
  readonly ratioVsNone: number;
  readonly ratioVsSync: number;
}

export interface UsageBenchResult {
  readonly date: string;
  readonly server: string;
  readonly rows: number;
  readonly writers: number;
  readonly writesPerWriter: number;
  readonly rounds: number;
  readonly workloads: readonly UsageWorkloadResult[];
}

function column(name: string, dataType: string, nullable = true): Column {
  return { name, dataType, nullable, default: null, isArray: false, enumType: null, identity: null, serial: false, comment: null };
}

function tableOf(name: string, columns: readonly Column[]): Table {
  return { schema: 'public', name, columns, primaryKey: { name: `${name}_pkey`, columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [], comment: null };
}

function modelOf(tables: Table[]): SchemaModel {
  return { tables, enums: [], schemas: ['public'], extensions: [] };
}

const id = column('id', 'integer', false);
const before = tableOf('bench_usage', [id, column('old_note', 'text'), column('hits', 'integer')]);

/** The expand's SQL as pgshift plans it (one string per statement). */
function expandSql(kind: UsageWorkloadResult['workload']): string[] {
  const d: Decisions = kind === 'column-rename'
    ? { ...NO_DECISIONS, columnRenames: [{ table: { schema: 'public', name: 'bench_usage' }, from: 'old_note', to: 'note' }] }
    : { ...NO_DECISIONS, tableRenames: [{ from: { schema: 'public', name: 'bench_usage' }, to: { schema: 'public', name: 'bench_usage_new' } }] };
  const after = kind === 'column-rename'
    ? tableOf('bench_usage', [id, column('note', 'text'), column('hits', 'integer')])
    : tableOf('bench_usage_new', before.columns);
  const from = modelOf([before]);
  const to = modelOf([after]);
  const changes = diffModels(from, to, { tableRenames: d.tableRenames, dropUnmanaged: false }).changes;
  const plan = planChanges(changes, { from, to, decisions: d, targetMajor: 13, rowEstimates: new Map() });
  return plan.steps.filter((s) => s.phase === 'expand').flatMap((s) => s.up.map((u) => u.sql));
}

/** The same expand without the usage note: what pgshift installed before #15. */
function withoutUsage(sql: readonly string[]): string[] {
  return sql
    .filter((s) => !/pgshift_contract_usage|pgshift_contract_(note_write|reads)\(|pgshift_watch_/.test(s) || /^CREATE FUNCTION "public"\."pgshift_sync_/.test(s))
    .map((s) => s.replace(/^.*PERFORM "public"\."pgshift_contract_note_write".*\n/gm, '').replace(/ THEN PERFORM [^;]+; END IF;/g, ' THEN NULL; END IF;'));
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

async function prepare(url: string, rows: number, kind: UsageWorkloadResult['workload'], variant: Variant): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(createTableSql(before));
    await c.query(`INSERT INTO bench_usage (id, old_note, hits) SELECT i, 'note ' || i, 0 FROM generate_series(1, ${rows}) i`);
    if (variant === 'none') return;
    const sql = expandSql(kind);
    for (const s of variant === 'sync' ? withoutUsage(sql) : sql) await c.query(s);
    // Each variant is what it claims: the bookkeeping exists exactly when the usage note is installed.
    const usage = (await c.query<{ t: string | null }>("SELECT to_regclass('pgshift_contract_usage')::text AS t")).rows[0]!.t;
    if ((usage !== null) !== (variant === 'sync+usage')) throw new Error(`bench:usage: variant ${variant} of ${kind} has the wrong triggers`);
    await c.query('VACUUM ANALYZE');
  });
}

/** `writers` connections, each `writes` autocommit old-shape UPDATEs of random rows; wall time in ms. */
async function workload(url: string, kind: UsageWorkloadResult['workload'], variant: Variant, rows: number, writers: number, writes: number): Promise<number> {
  // Old code names the old shape: the old column, or the old table name (the view once renamed).
  const target = 'bench_usage';
  const setSql = kind === 'column-rename' ? 'old_note = $1' : 'hits = hits + 1, old_note = $1';
  const clients = await Promise.all(Array.from({ length: writers }, async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    // The commit's WAL flush is the same for every variant and would drown the trigger's cost in disk noise.
    await c.query('SET synchronous_commit = off');
    await c.query(`UPDATE ${target} SET ${setSql} WHERE id = $2`, ['warm-up', 1]);
    return c;
  }));
  try {
    const started = process.hrtime.bigint();
    await Promise.all(clients.map(async (c, w) => {
      for (let i = 0; i < writes; i++) {
        await c.query(`UPDATE ${target} SET ${setSql} WHERE id = $2`, [`w${w} ${i}`, 1 + ((i * 7919 + w * 104729) % rows)]);
      }
    }));
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

export async function runUsageBench(options: UsageBenchOptions): Promise<UsageBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = options.databasePrefix ?? 'pgshift_bench_usage';
  const server = await withClient(options.adminUrl, async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);
  const workloads: UsageWorkloadResult[] = [];
  for (const kind of ['column-rename', 'table-rename'] as const) {
    const runsMs = { none: [], sync: [], 'sync+usage': [] } as Record<Variant, number[]>;
    for (let round_ = 0; round_ < options.rounds; round_++) {
      for (const variant of VARIANTS) {
        const name = `${prefix}_${kind.replace('-', '_')}_${variant.replace('+', '_')}`;
        await withClient(options.adminUrl, async (c) => { await c.query(`DROP DATABASE IF EXISTS "${name}"`); await c.query(`CREATE DATABASE "${name}"`); });
        const url = databaseUrl(options.adminUrl, name);
        try {
          await prepare(url, options.rows, kind, variant);
          const ms = await workload(url, kind, variant, options.rows, options.writers, options.writesPerWriter);
          runsMs[variant].push(ms);
          log(`${kind} ${variant} round ${round_ + 1}: ${Math.round(ms)} ms`);
        } finally {
          await withClient(options.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
        }
      }
    }
    const medianMs = Object.fromEntries(VARIANTS.map((v) => [v, round(median(runsMs[v]))])) as Record<Variant, number>;
    workloads.push({
      workload: kind, medianMs, runsMs,
      ratioVsNone: round(medianMs['sync+usage'] / medianMs.none, 2),
      ratioVsSync: round(medianMs['sync+usage'] / medianMs.sync, 2),
    });
  }
  return { date: new Date().toISOString(), server, rows: options.rows, writers: options.writers, writesPerWriter: options.writesPerWriter, rounds: options.rounds, workloads };
}
