/**
 * One dev sync against an open connection: read the database, diff it with the entities' model, keep
 * the additive part (./additive.ts) and apply it in a transaction — or, for a dry run, only say the SQL.
 */
import type { ClientBase } from 'pg';
import type { Change } from '../diff/change';
import { diffModels, type Unmanaged } from '../diff/diff';
import { qualifiedKey, type QualifiedName, type SchemaModel } from '../model/schema';
import { readState } from '../pipeline/generate';
import { qualified } from '../sql/quote';
import { directStatements } from '../planner/change-sql';
import { planAdditive, type SkippedChange } from './additive';
import { applyInTransaction, type AppliedChange } from './apply';

export type { AppliedChange } from './apply';

export interface SyncResult {
  readonly applied: readonly AppliedChange[];
  readonly skipped: readonly SkippedChange[];
  /** Objects no entity mentions: left alone. */
  readonly unmanaged: readonly Unmanaged[];
  readonly dryRun: boolean;
  readonly elapsedMs: number;
}

export interface SyncModelOptions {
  readonly dryRun?: boolean;
  /** lock_timeout for the sync's transaction: an app holding a lock makes it fail fast, not hang. */
  readonly lockTimeout?: string;
}

/** Which of `tables` hold rows: only these make a NOT NULL column without a default impossible to add. */
async function tablesWithRows(client: ClientBase, tables: readonly QualifiedName[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const table of tables) {
    const result = await client.query<{ has_rows: boolean }>(`SELECT EXISTS (SELECT FROM ${qualified(table)}) AS has_rows`);
    if (result.rows[0]?.has_rows) found.add(qualifiedKey(table));
  }
  return found;
}

function needsRowCheck(changes: readonly Change[]): QualifiedName[] {
  const tables = new Map<string, QualifiedName>();
  for (const change of changes) {
    if (change.kind !== 'AddColumn') continue;
    const { column } = change;
    if (!column.nullable && column.default === null && !column.serial && column.identity === null) tables.set(qualifiedKey(change.table), change.table);
  }
  return [...tables.values()];
}

/** Brings the database at `client` additively towards `desiredRaw` (the entity model, not yet cooked). */
export async function syncModel(client: ClientBase, desiredRaw: SchemaModel, options: SyncModelOptions = {}): Promise<SyncResult> {
  const start = performance.now();
  const { current, desired } = await readState(client, desiredRaw);
  const diff = diffModels(current, desired);
  const rows = await tablesWithRows(client, needsRowCheck(diff.changes));
  const plan = planAdditive(diff.changes, { current, tablesWithRows: rows });
  const applied = plan.apply.map((change) => ({ change, sql: directStatements(change).map((s) => s.sql) }));
  if (!options.dryRun && applied.length > 0) await applyInTransaction(client, applied, options.lockTimeout ?? '5s');
  return {
    applied,
    skipped: plan.skipped,
    unmanaged: diff.unmanaged,
    dryRun: Boolean(options.dryRun),
    elapsedMs: Math.round(performance.now() - start),
  };
}
