/**
 * The write overhead of issue #15's usage evidence, side by side on one server: the same old-shape writes
 * (single-row UPDATEs of the old column, or through a table rename's compatibility view) on a copy of
 * the same table
 *  - `none`: no trigger (the table before the expand);
 *  - `sync`: the expand's trigger without the usage note (pgshift before #15; views: the bare view);
 *  - `sync+usage`: the expand exactly as planned, stamping pgshift_contract_usage at most once a second.
 * Batches of the variants run interleaved (see batch()); the report gives median batch times and ratios.
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
  /** Kept in the result for the report; the batches run on one connection per variant. */
  readonly writers: number;
  /** UPDATEs per batch. */
  readonly writesPerWriter: number;
  /** Batches per variant. */
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
  const changes = diffModels(from, to, { columnRenames: d.columnRenames, tableRenames: d.tableRenames, dropUnmanaged: false }).changes;
  const plan = planChanges(changes, { from, to, decisions: d, targetMajor: 13, rowEstimates: new Map() });
  if (plan.needs.length > 0) throw new Error(`bench:usage: the ${kind} plan needs a decision: ${plan.needs[0]!.reason}`);
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

/**
 * One batch of `writes` old-shape single-row UPDATEs, run server-side in one DO block (one round trip, so
 * the client and the network are out of the measurement); wall time in ms. Within one transaction now()
 * does not move, so after its first stamp the note takes the path it takes under load: checked, skipped.
 */
async function batch(client: Client, kind: UsageWorkloadResult['workload'], rows: number, writes: number): Promise<number> {
  const set = kind === 'column-rename' ? "old_note = 'w' || i" : "hits = hits + 1, old_note = 'w' || i";
  const started = process.hrtime.bigint();
  await client.query(`DO $bench$ BEGIN FOR i IN 1..${writes} LOOP UPDATE bench_usage SET ${set} WHERE id = 1 + (i * 7919) % ${rows}; END LOOP; END $bench$`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function runUsageBench(options: UsageBenchOptions): Promise<UsageBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = options.databasePrefix ?? 'pgshift_bench_usage';
  const server = await withClient(options.adminUrl, async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);
  const workloads: UsageWorkloadResult[] = [];
  for (const kind of ['column-rename', 'table-rename'] as const) {
    const runsMs = { none: [], sync: [], 'sync+usage': [] } as Record<Variant, number[]>;
    const names = VARIANTS.map((v) => `${prefix}_${kind.replace('-', '_')}_${v.replace('+', '_')}`);
    const clients: Client[] = [];
    try {
      for (const [i, variant] of VARIANTS.entries()) {
        await withClient(options.adminUrl, async (c) => { await c.query(`DROP DATABASE IF EXISTS "${names[i]}"`); await c.query(`CREATE DATABASE "${names[i]}"`); });
        const url = databaseUrl(options.adminUrl, names[i]!);
        await prepare(url, options.rows, kind, variant);
        const client = new Client({ connectionString: url });
        await client.connect();
        clients.push(client);
        await batch(client, kind, options.rows, options.writesPerWriter); // warm-up: caches, plans
      }
      // Interleaved in short batches, the order rotating each round: a busy moment of the machine hits
      // every variant alike instead of one of them.
      for (let r = 0; r < options.rounds; r++) {
        for (let k = 0; k < VARIANTS.length; k++) {
          const i = (r + k) % VARIANTS.length;
          runsMs[VARIANTS[i]!].push(await batch(clients[i]!, kind, options.rows, options.writesPerWriter));
        }
      }
      log(`${kind}: ${VARIANTS.map((v) => `${v} ${Math.round(median(runsMs[v]))} ms`).join(', ')}`);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
      for (const name of names) await withClient(options.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
    const medianMs = Object.fromEntries(VARIANTS.map((v) => [v, round(median(runsMs[v]))])) as Record<Variant, number>;
    workloads.push({
      workload: kind, medianMs, runsMs: Object.fromEntries(VARIANTS.map((v) => [v, runsMs[v].map((x) => round(x))])) as Record<Variant, number[]>,
      ratioVsNone: round(medianMs['sync+usage'] / medianMs.none, 2),
      ratioVsSync: round(medianMs['sync+usage'] / medianMs.sync, 2),
    });
  }
  return { date: new Date().toISOString(), server, rows: options.rows, writers: options.writers, writesPerWriter: options.writesPerWriter, rounds: options.rounds, workloads };
}
