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
 * Why a batch is a key range: each batch first finds its upper key (the `pgshift_batch`-th key after the
 * last batch, from the key's index alone: see boundQuery), then fills the rows of `(last, upto]` that
 * still need the value with one plain UPDATE. Each row is locked and written once, by the UPDATE itself
 * (no row-locking pre-pass joined to it), and a row an application write holds is waited for and
 * re-checked against `whereSql` on its new version, like any UPDATE. Measured at 300,000 rows: a batch
 * of 5,000 costs what the same rows cost in one plain UPDATE.
 *
 * Why the batch statements are dynamic (`EXECUTE … USING`): the first batch has no lower bound. A static
 * `($1 IS NULL OR key > $1)` would get a generic plan that cannot use the key's index as a range and would
 * rescan from the start on every batch; a one-shot EXECUTE is planned with the actual values, so the
 * condition folds to a plain index range.
 *
 * Why the batch size adapts (`batchTimeMs`): what an application write waits for is how long one batch
 * holds its row locks, and a fixed row count holds them for very different times (a wide row, a sync
 * trigger, a busy server). After each batch the loop times it (from its start to after its COMMIT, when
 * the locks go) and scales the next batch toward the target: at most doubling (one fast batch proves
 * little), shrinking at once after a slow one (a batch that waited behind an application lock), and
 * never above `batchSize`, the cap. The first batch is small for the same reason.
 *
 * Why each batch commits without waiting for its WAL flush (`synchronous_commit` off, for that batch's
 * transaction only): a batch's COMMIT costs a flush that can match its work; a crash can lose only the
 * last few batches, which the backfill — idempotent — fills again when it is re-run, and the runner's
 * version update after the loop is an ordinary durable commit, whose flush covers every batch before it.
 *
 * Why each batch also sets `backend_flush_after` (256kB, for that batch's transaction only): a backfill
 * dirties far more pages than shared_buffers holds, and the pages the batch evicts itself would sit dirty
 * in the kernel's cache until the next checkpoint's fsync has to write them all at once — the stall
 * PostgreSQL's documentation gives this setting for; with it the kernel starts writing them right away.
 * It does not remove the checkpoint the backfill's WAL volume triggers: on a slow disk that checkpoint's
 * fsyncs delay every commit, with or without a lock in common (bench/stall/bulk-write-floor.ts).
 *
 * Progress: every few seconds the loop says how far it got with a `RAISE NOTICE 'pgshift backfill: …'`
 * (rows done of the table's estimate). Only the loop knows its exact count; a notice costs no extra
 * connection, writes nothing into the database, reaches the client while the statement still runs, and
 * is harmless to golang-migrate, which ignores it. `pgshift up` turns it into rate and ETA
 * (src/runner/backfill-progress.ts).
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { dollarTag, ident, qualified } from '../sql/quote';
import type { Statement } from '../sql/statement';

export interface BackfillSpec {
  readonly table: QualifiedName;
  /** Primary-key columns, in key order. An empty list is a bug: callers refuse tables without a key. */
  readonly primaryKey: readonly string[];
  /** The SET list, e.g. `"nickname" = lower("email")`; unqualified names are the table's columns. */
  readonly setSql: string;
  /** Rows still needing the value, e.g. `"nickname" IS NULL`; unqualified names are the table's columns. */
  readonly whereSql: string;
  /** Rows per batch: the cap of the adaptive size, or the fixed size when `batchTimeMs` is unset. */
  readonly batchSize: number;
  /** Target time one batch holds its row locks, in ms; unset or 0: fixed batches of `batchSize`. */
  readonly batchTimeMs?: number;
}

/** How often the loop reports progress (a NOTICE). */
export const PROGRESS_EVERY = '2 seconds';
/** The first adaptive batch: small, since nothing is known yet about this table's rows. */
const FIRST_ADAPTIVE_BATCH = 100;

/** Names of the dollar-quote tags; dollarTag picks a variant that the user's expression does not contain. */
const BODY_TAG = 'pgshift_backfill';
const BOUND_TAG = 'pgshift_bound';
const FILL_TAG = 'pgshift_fill';

function rowOf(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `(${items.join(', ')})`;
}

/** `k > last` for the key columns, true for the first batch (no lower bound yet): `$1 IS NULL OR …`. */
function afterLast(keys: readonly string[], params: readonly string[]): string {
  return `(${params[0]} IS NULL OR ${rowOf(keys)} > ${rowOf(params)})`;
}

/**
 * The batch's upper key: the `pgshift_batch`-th key after the last batch, in key order (an index-only
 * range scan that reads just this batch's keys). No row: fewer are left, and the last batch goes up to
 * the stop key. It counts keys, not rows still needing the value: with `whereSql` in it, the planner
 * (which cannot know how many rows still match: the shadow column has no statistics) estimated a
 * handful of matches and read the whole table per batch (a parallel seq scan and a sort, 140 ms a
 * batch at 300,000 rows, most of the backfill's time). Rows already filled in the range cost one index
 * step each in the UPDATE.
 */
function boundQuery(spec: BackfillSpec): string {
  const table = qualified(spec.table);
  const keys = spec.primaryKey.map(ident);
  const n = keys.length;
  const last = keys.map((_, i) => `$${i + 1}`);
  const stop = keys.map((_, i) => `$${n + i + 1}`);
  return [
    `SELECT ${keys.join(', ')} FROM ${table}`,
    `      WHERE ${afterLast(keys, last)} AND ${rowOf(keys)} <= ${rowOf(stop)}`,
    `      ORDER BY ${keys.join(', ')} OFFSET $${2 * n + 1} - 1 LIMIT 1`,
  ].join('\n');
}

/**
 * The batch itself: one UPDATE of a key range, `(last, upto]`, of the rows still needing the value. A
 * plain range — no row-locking pre-pass, no join — so each row is locked and written once, by the UPDATE
 * (a row a writer holds is waited for, then re-checked against `whereSql` on its new version).
 */
function fillStatement(spec: BackfillSpec): string {
  const table = qualified(spec.table);
  const keys = spec.primaryKey.map(ident);
  const n = keys.length;
  const last = keys.map((_, i) => `$${i + 1}`);
  const upto = keys.map((_, i) => `$${n + i + 1}`);
  return [
    `UPDATE ${table} SET ${spec.setSql}`,
    `      WHERE ${afterLast(keys, last)} AND ${rowOf(keys)} <= ${rowOf(upto)}`,
    `        AND (${spec.whereSql})`,
  ].join('\n');
}

/** The batch size's declarations and its update after each batch (shared with the ctid form). */
export function batchSizing(spec: Pick<BackfillSpec, 'batchSize' | 'batchTimeMs'>): { declare: string[]; adapt: string[] } {
  if (!Number.isInteger(spec.batchSize) || spec.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${spec.batchSize}`);
  const target = spec.batchTimeMs ?? 0;
  if (!Number.isFinite(target) || target < 0) throw new Error(`batch time must be a number of milliseconds ≥ 0, got ${target}`);
  if (target === 0) return { declare: [`  pgshift_batch integer := ${spec.batchSize};`], adapt: [] };
  return {
    declare: [
      `  -- Adapted after each batch so that one holds its row locks about ${target} ms; at most ${spec.batchSize} rows.`,
      `  pgshift_batch integer := ${Math.min(spec.batchSize, FIRST_ADAPTIVE_BATCH)};`,
      '  pgshift_started timestamptz;',
      '  pgshift_ms double precision;',
    ],
    adapt: [
      '    pgshift_ms := 1000 * extract(epoch FROM clock_timestamp() - pgshift_started);',
      `    pgshift_batch := least(${spec.batchSize}, pgshift_batch * 2, greatest(1, (pgshift_batch * ${target} / greatest(pgshift_ms, 0.1))::integer));`,
    ],
  };
}

/**
 * The first statements of every batch's transaction (see the file comment): local to that transaction.
 * backend_flush_after goes through pg_settings so that a server which does not know it (a fork) skips it
 * instead of failing the backfill on an unrecognized parameter.
 */
export const BATCH_SETTINGS = [
  "    PERFORM set_config('synchronous_commit', 'off', true);",
  "    PERFORM set_config(name, '256kB', true) FROM pg_settings WHERE name = 'backend_flush_after';",
].join('\n');

/**
 * Declarations and the every-few-seconds NOTICE of the rows done so far, of the table's estimate.
 * Variables carry a `pgshift_` prefix: PL/pgSQL refuses a statement where a variable and a column share a
 * name (variable_conflict = error), and the loop's statements name the user's columns.
 */
export function progressReport(table: string): { declare: string[]; start: string[]; report: string[] } {
  return {
    declare: ['  pgshift_done bigint := 0;', '  pgshift_filled bigint;', '  pgshift_estimate bigint;', '  pgshift_reported timestamptz := clock_timestamp();'],
    start: [`  SELECT greatest(reltuples, 0)::bigint INTO pgshift_estimate FROM pg_class WHERE oid = '${table.replace(/'/g, "''")}'::regclass;`],
    report: [
      '    pgshift_done := pgshift_done + pgshift_filled;',
      `    IF clock_timestamp() - pgshift_reported >= interval '${PROGRESS_EVERY}' THEN`,
      "      RAISE NOTICE 'pgshift backfill: % of ~% rows, next batch % rows', pgshift_done, pgshift_estimate, pgshift_batch;",
      '      pgshift_reported := clock_timestamp();',
      '    END IF;',
    ],
  };
}

/** A dynamic statement of the loop: `EXECUTE $tag$ … $tag$` then its INTO/USING line. */
function execute(name: string, sql: string, tail: string): string[] {
  const tag = dollarTag(name, sql);
  return [`    EXECUTE ${tag}`, `      ${sql}`, `    ${tag}`, `    ${tail};`];
}

export function backfillSql(spec: BackfillSpec): string {
  if (spec.primaryKey.length === 0) throw new Error(`backfill of ${spec.table.name} needs a primary key`);
  const sizing = batchSizing(spec);
  const table = qualified(spec.table);
  const keys = spec.primaryKey.map(ident);
  const variables = (role: string) => spec.primaryKey.map((_, i) => `pgshift_${role}_${i + 1}`);
  const [last, stop, upto] = [variables('last'), variables('stop'), variables('upto')];
  const declare = spec.primaryKey.flatMap((column, i) => {
    const type = `${table}.${ident(column)}%TYPE`;
    return [`  ${last[i]} ${type};`, `  ${stop[i]} ${type};`, `  ${upto[i]} ${type};`];
  });
  const progress = progressReport(table);
  const adaptive = sizing.adapt.length > 0;
  const body = [
    'DECLARE',
    ...declare,
    ...sizing.declare,
    ...progress.declare,
    'BEGIN',
    '  -- Rows inserted after this point get their value from the expand step (default or trigger).',
    `  SELECT ${keys.join(', ')} INTO ${stop.join(', ')} FROM ${table} ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')} LIMIT 1;`,
    `  IF ${stop[0]} IS NULL THEN RETURN; END IF;`,
    ...progress.start,
    '  LOOP',
    BATCH_SETTINGS,
    ...(adaptive ? ['    pgshift_started := clock_timestamp();'] : []),
    ...execute(BOUND_TAG, boundQuery(spec), `INTO ${upto.join(', ')} USING ${[...last, ...stop].join(', ')}, pgshift_batch`),
    '    -- Fewer rows left than a batch: this one is the last, up to the stop key.',
    `    IF ${upto[0]} IS NULL THEN ${upto.map((u, i) => `${u} := ${stop[i]};`).join(' ')} END IF;`,
    ...execute(FILL_TAG, fillStatement(spec), `USING ${[...last, ...upto].join(', ')}`),
    '    GET DIAGNOSTICS pgshift_filled = ROW_COUNT;',
    '    -- One transaction per batch: row locks and WAL stay small.',
    '    COMMIT;',
    ...sizing.adapt,
    ...progress.report,
    `    EXIT WHEN ${rowOf(upto)} = ${rowOf(stop)};`,
    `    ${last.map((l, i) => `${l} := ${upto[i]};`).join(' ')}`,
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
