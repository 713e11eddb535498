/**
 * The one batched-backfill statement every expand rule uses: a `DO` block that walks the table in
 * primary-key order, `batchSize` rows at a time, and COMMITs after each batch, so row locks are held for
 * one short batch only and the WAL comes in small pieces instead of one long UPDATE.
 *
 * Why a `DO … COMMIT` loop: golang-migrate runs a file as one query; a lone DO block that commits is
 * allowed outside a transaction block since PG 11, so the file must be non-transactional and hold only
 * this statement.
 *
 * Why it is safe to re-run: each batch only selects rows that still match `whereSql` (rows still needing
 * the value), so a run interrupted half way just continues.
 *
 * Why it terminates under write load: it stops at the highest key that existed when it started; rows
 * inserted after that are filled by the expand step's default or trigger, never by this loop.
 *
 * Why the batch query is dynamic (`EXECUTE … USING`): the first batch has no lower bound. A static
 * `($1 IS NULL OR key > $1)` would get a generic plan that cannot use the key's index as a range and would
 * rescan from the start on every batch; a one-shot EXECUTE is planned with the actual values, so the
 * condition folds to a plain index range.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/ddl';
import { dollarTag, ident, qualified } from '../sql/quote';
import type { Statement } from './step';

export interface BackfillSpec {
  readonly table: QualifiedName;
  /** Primary-key columns, in key order. An empty list is a bug: callers refuse tables without a key. */
  readonly primaryKey: readonly string[];
  /** The SET list, e.g. `"nickname" = lower("email")`; unqualified names are the table's columns. */
  readonly setSql: string;
  /** Rows still needing the value, e.g. `"nickname" IS NULL`; unqualified names are the table's columns. */
  readonly whereSql: string;
  readonly batchSize: number;
}

/** Names of the dollar-quote tags; dollarTag picks a variant that the user's expression does not contain. */
const BODY_TAG = 'pgshift_backfill';
const QUERY_TAG = 'pgshift_batch';

function rowOf(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `(${items.join(', ')})`;
}

/** The batch query: lock the next batch of keys, fill them, return the batch's last key. */
function batchQuery(spec: BackfillSpec): string {
  const table = qualified(spec.table);
  const keys = spec.primaryKey.map(ident);
  const aliases = spec.primaryKey.map((_, i) => `pgshift_key_${i + 1}`);
  const n = keys.length;
  const lastParams = keys.map((_, i) => `$${i + 1}`);
  const stopParams = keys.map((_, i) => `$${n + i + 1}`);
  const join = keys.map((k, i) => `${table}.${k} = batch.${aliases[i]}`).join(' AND ');
  return [
    'WITH batch AS (',
    `        SELECT ${keys.map((k, i) => `${k} AS ${aliases[i]}`).join(', ')} FROM ${table}`,
    `        WHERE ($1 IS NULL OR ${rowOf(keys)} > ${rowOf(lastParams)}) AND ${rowOf(keys)} <= ${rowOf(stopParams)}`,
    `          AND (${spec.whereSql})`,
    `        ORDER BY ${keys.join(', ')} LIMIT ${spec.batchSize}`,
    '        FOR NO KEY UPDATE',
    '      ), filled AS (',
    `        UPDATE ${table} SET ${spec.setSql} FROM batch WHERE ${join}`,
    '      )',
    `      SELECT ${aliases.join(', ')} FROM batch ORDER BY ${aliases.map((a) => `${a} DESC`).join(', ')} LIMIT 1`,
  ].join('\n');
}

export function backfillSql(spec: BackfillSpec): string {
  if (spec.primaryKey.length === 0) throw new Error(`backfill of ${spec.table.name} needs a primary key`);
  if (!Number.isInteger(spec.batchSize) || spec.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${spec.batchSize}`);
  const table = qualified(spec.table);
  const keys = spec.primaryKey.map(ident);
  const last = spec.primaryKey.map((_, i) => `last_${i + 1}`);
  const stop = spec.primaryKey.map((_, i) => `stop_${i + 1}`);
  const declare = spec.primaryKey.flatMap((column, i) => {
    const type = `${table}.${ident(column)}%TYPE`;
    return [`  ${last[i]} ${type};`, `  ${stop[i]} ${type};`];
  });
  const query = batchQuery(spec);
  const queryTag = dollarTag(QUERY_TAG, query);
  const body = [
    'DECLARE',
    ...declare,
    'BEGIN',
    '  -- Rows inserted after this point get their value from the expand step (default or trigger).',
    `  SELECT ${keys.join(', ')} INTO ${stop.join(', ')} FROM ${table} ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')} LIMIT 1;`,
    `  IF ${stop[0]} IS NULL THEN RETURN; END IF;`,
    '  LOOP',
    `    EXECUTE ${queryTag}`,
    `      ${query}`,
    `    ${queryTag}`,
    `    INTO ${last.join(', ')} USING ${[...last, ...stop].join(', ')};`,
    `    EXIT WHEN ${last[0]} IS NULL;`,
    '    -- One transaction per batch: row locks and WAL stay small.',
    '    COMMIT;',
    '  END LOOP;',
    'END',
  ].join('\n');
  const bodyTag = dollarTag(BODY_TAG, body);
  return `DO ${bodyTag}\n${body}\n${bodyTag}`;
}

/** The backfill as a planner statement: row locks only, batch by batch. */
export function backfillStatement(spec: BackfillSpec): Statement {
  return statement(backfillSql(spec), 'ROW EXCLUSIVE', spec.table, 'batched');
}
