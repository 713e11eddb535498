/**
 * What the database shows about the old shapes pending contracts retire: reads the rows the expands'
 * triggers keep in `pgshift_contract_usage` (src/planner/contract-usage.ts) and asks
 * pg_stat_statements, where it is loaded, whether statements naming the old shape ran since a snapshot.
 *
 * The old shape counts as used when, within the quiet period: a write arrived through it; a statement
 * naming it ran (its calls grew since a snapshot at least that old); or it has not been watched that long
 * at all. A contract without a row (an expand applied by an older pgshift) has no evidence and counts as
 * used: the gate never guesses "unused".
 */
import type { Client } from 'pg';
import { READS_FUNCTION, USAGE_TABLE } from '../planner/contract-usage';
import { ident } from '../sql/quote';
import { formatSpan } from './quiet-for';
import { proofLine, proveTypeSwap, unprovenBecause, type TypeSwapProof } from './type-swap-proof';

/** A read snapshot: `{queryid: [calls, query]}`, or null when pg_stat_statements could not tell. */
type Statements = Record<string, [number, string]> | null;

interface Snapshot {
  readonly at: string;
  readonly statements: Statements;
}

export interface StillCalling {
  readonly query: string;
  /** Calls since the snapshot compared with. */
  readonly calls: number;
}

export type ReadEvidence =
  | { readonly kind: 'unverified'; readonly why: string }
  | { readonly kind: 'quiet'; readonly since: Date }
  | { readonly kind: 'used'; readonly since: Date; readonly statements: readonly StillCalling[] };

export interface ContractEvidence {
  readonly id: string;
  /** `column public.users.full_name`, `table public.orders`. */
  readonly shape: string;
  /**
   * watched: a usage row; unwatched: none (no evidence); same-name: the contract keeps every name old
   * code uses and retires nothing it could use; data-proof: a type swap, gated on its data (type-swap-proof.ts).
   */
  readonly tracking: 'watched' | 'unwatched' | 'same-name' | 'data-proof';
  /** data-proof only: what the data showed (null: the column is not in this database). */
  readonly proof?: TypeSwapProof | null;
  readonly expandedAt: Date | null;
  readonly lastOldWrite: Date | null;
  readonly reads: ReadEvidence;
  /** Server clock when read. */
  readonly now: Date;
  /** Why the old shape counts as used within the quiet period; empty when it is quiet. */
  readonly usedBecause: readonly string[];
  /** Where the row lives, to record a new snapshot. */
  readonly schema: string | null;
  readonly current: Statements;
}

interface UsageRow {
  schema: string;
  contract: string;
  shape: string;
  watch_table: string;
  watch_column: string | null;
  expanded_at: Date;
  last_old_write: Date | null;
  reads_snapshots: Snapshot[];
  current_schema: boolean;
}

/**
 * Type swaps keep the column's name: old and new code write the very same column, nothing to tell
 * apart. What the gate can prove instead is the data: the swap is safe once every row's shadow value is
 * the converted old value and the sync trigger keeps it so.
 */
const TYPE_SWAP_CONTRACTS = /^alter-column-type:/;

/**
 * Renames leave an old shape a write can be seen through (the old column, the old table name); an
 * allowed column drop watches the column until its contract (src/planner/drop-column-watch.ts). Other
 * contracts (a required column's temporary default or fill trigger) have none to watch: they are not
 * gated, and the evidence says so.
 */
const WATCHED_CONTRACTS = /^(rename-column|rename-table|drop-column):/;

/** A contract that retires an old shape the expand's triggers watch (guard.ts guards exactly these). */
export function isWatchedContract(id: string): boolean {
  return WATCHED_CONTRACTS.test(id);
}

async function usageSchemas(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND c.relkind = 'r' AND has_table_privilege(c.oid, 'SELECT')
        AND EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid AND p.proname = $2)
      ORDER BY n.nspname = current_schema() DESC, n.nspname`,
    [USAGE_TABLE, READS_FUNCTION],
  );
  return rows.map((r) => r.nspname);
}

async function usageRows(client: Client, ids: readonly string[]): Promise<Map<string, UsageRow>> {
  const found = new Map<string, UsageRow>();
  for (const schema of await usageSchemas(client)) {
    const { rows } = await client.query<UsageRow>(
      `SELECT $2::text AS schema, contract, shape, watch_table, watch_column, expanded_at, last_old_write, reads_snapshots
         FROM ${ident(schema)}.${ident(USAGE_TABLE)} WHERE contract = ANY($1::text[])`,
      [ids, schema],
    );
    // Schemas are in order of preference (the session's own first: a tenant's schema, by search_path).
    for (const row of rows) if (!found.has(row.contract)) found.set(row.contract, row);
  }
  return found;
}

async function currentReads(client: Client, row: UsageRow): Promise<Statements> {
  const { rows } = await client.query<{ reads: Statements }>(
    `SELECT ${ident(row.schema)}.${ident(READS_FUNCTION)}($1, $2) AS reads`, [row.watch_table, row.watch_column],
  );
  return rows[0]!.reads;
}

/** The snapshot to compare with: the newest at least `quietForMs` old, else the oldest (the expand's). */
function baseline(snapshots: readonly Snapshot[], now: Date, quietForMs: number): Snapshot | null {
  const usable = snapshots.filter((s) => s.statements !== null).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const oldEnough = usable.filter((s) => now.getTime() - Date.parse(s.at) >= quietForMs);
  return oldEnough[oldEnough.length - 1] ?? usable[0] ?? null;
}

function readEvidenceOf(row: UsageRow, current: Statements, now: Date, quietForMs: number): ReadEvidence {
  if (current === null) return { kind: 'unverified', why: 'pg_stat_statements is not loaded here (or this role may not read it)' };
  const base = baseline(row.reads_snapshots ?? [], now, quietForMs);
  if (base === null) return { kind: 'unverified', why: 'pg_stat_statements was not loaded when the expand ran: no snapshot to compare with' };
  const since = new Date(base.at);
  const grown: StillCalling[] = [];
  for (const [id, [calls, query]] of Object.entries(current)) {
    const before = base.statements![id]?.[0] ?? 0;
    if (calls > before) grown.push({ query, calls: calls - before });
  }
  grown.sort((a, b) => b.calls - a.calls);
  return grown.length > 0 ? { kind: 'used', since, statements: grown } : { kind: 'quiet', since };
}

function shapeFromId(id: string): string {
  const [kind, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  return kind === 'rename-table' ? `table ${rest}` : `column ${rest}`;
}

const at = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function usedBecause(row: UsageRow, reads: ReadEvidence, now: Date, quietForMs: number): string[] {
  const reasons: string[] = [];
  const watchedFor = now.getTime() - row.expanded_at.getTime();
  if (watchedFor < quietForMs) reasons.push(`watched only since the expand ${formatSpan(watchedFor)} ago, less than the quiet period ${formatSpan(quietForMs)}`);
  if (row.last_old_write && now.getTime() - row.last_old_write.getTime() < quietForMs) {
    reasons.push(`a write arrived through it ${formatSpan(now.getTime() - row.last_old_write.getTime())} ago (${at(row.last_old_write)})`);
  }
  if (reads.kind === 'used') reasons.push(`${reads.statements.length} statement${reads.statements.length === 1 ? '' : 's'} naming it ran since ${at(reads.since)}`);
  return reasons;
}

/** The evidence for each contract id, in the order given. */
export async function readEvidence(client: Client, ids: readonly string[], quietForMs: number): Promise<ContractEvidence[]> {
  if (ids.length === 0) return [];
  const now = (await client.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
  const rows = await usageRows(client, ids);
  const out: ContractEvidence[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (TYPE_SWAP_CONTRACTS.test(id)) {
      const proof = await proveTypeSwap(client, id);
      out.push({ id, shape: `type of ${shapeFromId(id)}`, tracking: 'data-proof', proof, expandedAt: null, lastOldWrite: null, reads: { kind: 'unverified', why: 'the swap keeps the column name' }, now, usedBecause: unprovenBecause(proof), schema: null, current: null });
      continue;
    }
    if (!WATCHED_CONTRACTS.test(id) && !row) {
      out.push({ id, shape: shapeFromId(id), tracking: 'same-name', expandedAt: null, lastOldWrite: null, reads: { kind: 'unverified', why: 'no old shape to write through' }, now, usedBecause: [], schema: null, current: null });
      continue;
    }
    if (!row) {
      out.push({
        id, shape: shapeFromId(id), tracking: 'unwatched', expandedAt: null, lastOldWrite: null, now, schema: null, current: null,
        reads: { kind: 'unverified', why: 'no usage record' },
        usedBecause: ['no usage record in this database: its expand was not applied here, or by a pgshift that did not record usage'],
      });
      continue;
    }
    const current = await currentReads(client, row);
    const reads = readEvidenceOf(row, current, now, quietForMs);
    out.push({
      id, shape: row.shape, tracking: 'watched', expandedAt: row.expanded_at, lastOldWrite: row.last_old_write, reads, now,
      usedBecause: usedBecause(row, reads, now, quietForMs), schema: row.schema, current,
    });
  }
  return out;
}

const KEPT_SNAPSHOTS = 20;

/**
 * Keeps the current read counts as a snapshot, so that a later gate can see whether they grew over a
 * whole quiet period (the first snapshot is the expand's). Only the commands that act (up, gen diff
 * --contract) record; check and status only read.
 */
export async function recordSnapshots(client: Client, evidence: readonly ContractEvidence[]): Promise<void> {
  for (const e of evidence) {
    if (e.tracking !== 'watched' || e.schema === null || e.current === null) continue;
    const table = `${ident(e.schema)}.${ident(USAGE_TABLE)}`;
    await client.query(
      `UPDATE ${table} SET reads_snapshots = (
         SELECT coalesce(jsonb_agg(s ORDER BY n), '[]'::jsonb)
           FROM (SELECT s, n FROM jsonb_array_elements(reads_snapshots || jsonb_build_array(jsonb_build_object('at', now(), 'statements', $2::jsonb))) WITH ORDINALITY AS a(s, n)
                  ORDER BY n DESC LIMIT ${KEPT_SNAPSHOTS}) kept)
        WHERE contract = $1`,
      [e.id, JSON.stringify(e.current)],
    );
  }
}

/** Reviewer lines for one contract's evidence (indented by the caller). */
export function evidenceLines(e: ContractEvidence): string[] {
  if (e.tracking === 'same-name') return [`${e.id}: ${e.shape} — no old name a write could come through; nothing to watch`];
  if (e.tracking === 'data-proof') {
    const lines = [`${e.id}: ${e.shape} — the swap keeps the column's name; ${proofLine(e.proof ?? null)}`];
    lines.push(e.usedBecause.length > 0 ? `  not proven: ${e.usedBecause.join('; ')}` : '  proven: the swap changes no value');
    return lines;
  }
  const lines = [`${e.id}: old shape ${e.shape}`];
  if (e.tracking === 'unwatched') return [...lines, `  no usage record: ${e.usedBecause[0]!.replace(/^no usage record in this database: /, '')}`];
  lines.push(`  watched since ${at(e.expandedAt!)} (${formatSpan(e.now.getTime() - e.expandedAt!.getTime())})`);
  lines.push(`  last write through it: ${e.lastOldWrite ? `${at(e.lastOldWrite)} (${formatSpan(e.now.getTime() - e.lastOldWrite.getTime())} ago)` : 'none'}`);
  if (e.reads.kind === 'unverified') lines.push(`  reads unverified: ${e.reads.why}`);
  else if (e.reads.kind === 'quiet') lines.push(`  reads: no statement naming it ran since ${at(e.reads.since)} (pg_stat_statements)`);
  else {
    lines.push(`  reads: statements still calling since ${at(e.reads.since)} (pg_stat_statements):`);
    for (const s of e.reads.statements.slice(0, 5)) lines.push(`    ${s.calls}× ${s.query.replace(/\s+/g, ' ').slice(0, 120)}`);
    if (e.reads.statements.length > 5) lines.push(`    … and ${e.reads.statements.length - 5} more`);
  }
  lines.push(e.usedBecause.length > 0 ? `  in use: ${e.usedBecause.join('; ')}` : '  quiet');
  return lines;
}
