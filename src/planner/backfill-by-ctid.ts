/**
 * The batched backfill for a table WITHOUT a primary key (backfill.ts walks the key): repeatedly fill up
 * to n rows still matching `whereSql`, found by `ctid`, committing after each batch. It relies on filled
 * rows no longer matching `whereSql` (e.g. `"c" IS NULL` and a value that is never NULL). TypeORM
 * entities always have a primary key, so this only serves tables that get theirs in the same plan.
 * Like backfill.ts: one `DO` statement, alone in a non-transactional file.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { dollarTag, qualified } from '../sql/quote';
import { BATCH_SETTINGS, batchSizing, progressReport } from './backfill';
import type { Statement } from '../sql/statement';

export interface CtidBackfillSpec {
  readonly table: QualifiedName;
  readonly setSql: string;
  readonly whereSql: string;
  readonly batchSize: number;
  /** Target time per batch in ms (see backfill.ts); unset or 0: fixed batches. */
  readonly batchTimeMs?: number;
}

export function ctidBackfillSql(spec: CtidBackfillSpec): string {
  const table = qualified(spec.table);
  const sizing = batchSizing(spec);
  const progress = progressReport(table);
  const body = [
    'DECLARE',
    ...sizing.declare,
    ...progress.declare,
    'BEGIN',
    ...progress.start,
    '  LOOP',
    BATCH_SETTINGS,
    ...(sizing.adapt.length > 0 ? ['    pgshift_started := clock_timestamp();'] : []),
    `    UPDATE ${table} SET ${spec.setSql}`,
    `    WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${spec.whereSql} LIMIT pgshift_batch));`,
    '    GET DIAGNOSTICS pgshift_filled = ROW_COUNT;',
    '    EXIT WHEN pgshift_filled = 0;',
    '    -- One transaction per batch: row locks and WAL stay small.',
    '    COMMIT;',
    ...sizing.adapt,
    ...progress.report,
    '  END LOOP;',
    'END',
  ].join('\n');
  const tag = dollarTag('pgshift_backfill', body);
  return `DO ${tag}\n${body}\n${tag}`;
}

export function ctidBackfillStatement(spec: CtidBackfillSpec): Statement {
  return statement(ctidBackfillSql(spec), 'ROW EXCLUSIVE', spec.table, 'batched');
}
