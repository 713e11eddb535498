/**
 * A batched backfill as ONE statement: a `DO` block that walks the table in primary-key order
 * (keyset pagination: `WHERE (key) > (last key) ORDER BY key LIMIT n`), updates each batch and COMMITs
 * it. Each batch holds its row locks only for its own short transaction, so concurrent writers wait at
 * most one batch; WAL and dead tuples arrive in small steps.
 *
 * Why a committing DO block: golang-migrate runs a file as one query, and a multi-statement query is one
 * transaction. A lone `DO` statement is not, so `COMMIT` inside it works (verified on PG 15 and 18) —
 * the file must hold nothing else (a non-transactional step).
 *
 * Idempotent: only rows matching `pending` (e.g. `"col" IS NULL`) are touched, so a re-run after a
 * failure (or a statement_timeout: the runner's session timeout covers the whole loop) skips the work
 * already committed.
 */
import type { QualifiedName, Table } from '../model/schema';
import { columnType } from '../sql/column-sql';
import { statement } from '../sql/ddl';
import { ident, qualified } from '../sql/quote';
import type { Statement } from './step';

export interface KeyColumn {
  readonly name: string;
  /** SQL type of the column, for the loop variable (e.g. `integer`, `uuid`). */
  readonly type: string;
}

export interface BatchedUpdate {
  readonly table: QualifiedName;
  /** Primary key columns in key order; empty → batches by `ctid` (see below). */
  readonly key: readonly KeyColumn[];
  /** The SET list, e.g. `"token" = gen_random_uuid()`; unqualified names refer to the table. */
  readonly set: string;
  /** Condition of rows still to fill, e.g. `"token" IS NULL`; filled rows must stop matching it. */
  readonly pending: string;
  readonly batchSize: number;
}

/** The table's primary key as loop keys; empty when it has none (or is unknown). */
export function primaryKeyColumns(table: Table | undefined): KeyColumn[] {
  if (!table?.primaryKey) return [];
  return table.primaryKey.columns.flatMap((name) => {
    const column = table.columns.find((c) => c.name === name);
    return column ? [{ name, type: columnType(column) }] : [];
  });
}

/** Dollar-quote tag that cannot clash with a `$$` inside user expressions. */
const TAG = '$pgshift$';

function keyedLoop(u: BatchedUpdate): string {
  const table = qualified(u.table);
  const keys = u.key.map((k) => ident(k.name));
  const keyList = keys.join(', ');
  const vars = u.key.map((_, i) => `pgshift_last_${i + 1}`);
  const desc = keys.map((k) => `${k} DESC`).join(', ');
  const batch = (where: string) => [
    `    WITH batch AS (`,
    `      SELECT ${keyList} FROM ${table}${where} ORDER BY ${keyList} LIMIT ${u.batchSize}`,
    `    ), filled AS (`,
    `      UPDATE ${table} SET ${u.set}`,
    `      WHERE (${keyList}) IN (SELECT ${keyList} FROM batch) AND ${u.pending}`,
    `    )`,
    `    SELECT ${keyList} INTO ${vars.join(', ')} FROM batch ORDER BY ${desc} LIMIT 1;`,
  ];
  return [
    `DO ${TAG}`,
    'DECLARE',
    ...u.key.map((k, i) => `  ${vars[i]} ${k.type};`),
    'BEGIN',
    '  -- First batch: the lowest keys. Then each batch starts after the last key of the one before.',
    ...batch('').map((l) => l.slice(2)),
    '  WHILE FOUND LOOP',
    '    COMMIT;',
    ...batch(` WHERE (${keyList}) > (${vars.join(', ')})`),
    '  END LOOP;',
    'END',
    TAG,
  ].join('\n');
}

/**
 * Tables without a primary key: repeatedly fill up to n pending rows found by `ctid`. Each pass finds
 * rows by the `pending` condition, so it relies on filled rows no longer matching it.
 */
function ctidLoop(u: BatchedUpdate): string {
  const table = qualified(u.table);
  return [
    `DO ${TAG}`,
    'BEGIN',
    '  LOOP',
    `    UPDATE ${table} SET ${u.set}`,
    `    WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${u.pending} LIMIT ${u.batchSize}));`,
    '    EXIT WHEN NOT FOUND;',
    '    COMMIT;',
    '  END LOOP;',
    'END',
    TAG,
  ].join('\n');
}

export function batchedUpdateSql(update: BatchedUpdate): string {
  return update.key.length > 0 ? keyedLoop(update) : ctidLoop(update);
}

export function batchedUpdateStatement(update: BatchedUpdate): Statement {
  return statement(batchedUpdateSql(update), 'ROW EXCLUSIVE', update.table, 'batched');
}
