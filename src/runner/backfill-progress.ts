/**
 * Progress of a pgshift backfill, from the NOTICE its loop raises every few seconds
 * (`pgshift backfill: 120000 of ~1000000 rows, next batch 2300 rows`, src/planner/backfill.ts). The
 * count is exact (the loop's own), the total the table's estimate (pg_class.reltuples; 0 when the table
 * was never analyzed). Rate and ETA are the renderer's, from the time the file started.
 */
import { formatDuration } from './describe-event';
import type { BackfillProgress } from './events';

export type { BackfillProgress } from './events';

const NOTICE = /^pgshift backfill: (\d+) of ~(\d+) rows, next batch (\d+) rows$/;

export function parseBackfillNotice(message: string): BackfillProgress | null {
  const match = NOTICE.exec(message.trim());
  return match ? { done: Number(match[1]), estimate: Number(match[2]), nextBatchRows: Number(match[3]) } : null;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** `120,000 of ~1,000,000 rows · 8,000 rows/s · ETA 1m50s` (no ETA without an estimate or a rate). */
export function describeBackfillProgress(progress: BackfillProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (progress.done * 1000) / elapsedMs : 0;
  const total = progress.estimate > progress.done ? progress.estimate : 0;
  const of = total > 0 ? ` of ~${n(total)}` : '';
  const eta = total > 0 && rate > 0 ? ` · ETA ${formatDuration(Math.round(((total - progress.done) / rate) * 1000))}` : '';
  return `${n(progress.done)}${of} rows · ${n(rate)} rows/s${eta}`;
}
