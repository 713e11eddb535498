/**
 * The batched backfill for a table WITHOUT a primary key (backfill.ts walks the key): repeatedly fill up
 * to n rows still matching `whereSql`, found by `ctid`, committing after each batch. It relies on filled
 * rows no longer matching `whereSql` (e.g. `"c" IS NULL` and a value that is never NULL). TypeORM
 * entities always have a primary key, so this only serves tables that get theirs in the same plan.
 * Like backfill.ts: one `DO` statement, alone in a non-transactional file.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/ddl';
import { dollarTag, qualified } from '../sql/quote';
import type { Statement } from './step';

export interface CtidBackfillSpec {
  readonly table: QualifiedName;
  readonly setSql: string;
  readonly whereSql: string;
  readonly batchSize: number;
}

export function ctidBackfillSql(spec: CtidBackfillSpec): string {
  const table = qualified(spec.table);
  const body = [
    'BEGIN',
    '  LOOP',
    `    UPDATE ${table} SET ${spec.setSql}`,
    `    WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${spec.whereSql} LIMIT ${spec.batchSize}));`,
    '    EXIT WHEN NOT FOUND;',
    '    -- One transaction per batch: row locks and WAL stay small.',
    '    COMMIT;',
    '  END LOOP;',
    'END',
  ].join('\n');
  const tag = dollarTag('pgshift_backfill', body);
  return `DO ${tag}\n${body}\n${tag}`;
}

export function ctidBackfillStatement(spec: CtidBackfillSpec): Statement {
  return statement(ctidBackfillSql(spec), 'ROW EXCLUSIVE', spec.table, 'batched');
}
