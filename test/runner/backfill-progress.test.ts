/**
 * A backfill's progress as `up` shows it: the loop's NOTICE parsed, rate and ETA from the file's elapsed
 * time, a live line at a terminal and a plain line at most every few seconds in a log; and `--batch-time`
 * parsed into the plan's decisions. Pure: the NOTICE itself is exercised on Postgres in
 * test/planner/backfill.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decisionsFromFlags } from '../../src/cli/decision-flags';
import { createRenderer } from '../../src/cli/commands/runner-shared';
import { describeBackfillProgress, parseBackfillNotice } from '../../src/runner/backfill-progress';
import { PgshiftError } from '../../src/errors';

describe('backfill progress', () => {
  it('parses the NOTICE the loop raises, and nothing else', () => {
    expect(parseBackfillNotice('pgshift backfill: 120000 of ~1000000 rows, next batch 2300 rows')).toEqual({ done: 120000, estimate: 1000000, nextBatchRows: 2300 });
    expect(parseBackfillNotice('relation "x" already exists, skipping')).toBeNull();
  });

  it('says rows of the estimate, rate and ETA; no ETA without an estimate', () => {
    expect(describeBackfillProgress({ done: 120_000, estimate: 1_000_000, nextBatchRows: 2300 }, 12_000)).toBe('120,000 of ~1,000,000 rows · 10,000 rows/s · ETA 1m28s');
    expect(describeBackfillProgress({ done: 5_000, estimate: 0, nextBatchRows: 100 }, 1_000)).toBe('5,000 rows · 5,000 rows/s');
  });

  it('renders plain lines in a log (not at every NOTICE), and the live line at a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const render = createRenderer(stream);
    render({ kind: 'start', version: 2, direction: 'up', fileName: '000002_backfill.up.sql', transactional: false });
    // The first NOTICE comes 2 s in; a plain line at most every 5 s: this one is too early.
    render({ kind: 'backfill-progress', progress: { done: 10, estimate: 100, nextBatchRows: 5 } });
    render({ kind: 'done', version: 2, direction: 'up', fileName: '000002_backfill.up.sql', elapsedMs: 10 });
    expect(written.join('')).not.toContain('backfill:');

    const tty: string[] = [];
    const live = createRenderer({ isTTY: true, write: (s: string) => tty.push(s) } as unknown as NodeJS.WriteStream);
    live({ kind: 'start', version: 2, direction: 'up', fileName: '000002_backfill.up.sql', transactional: false });
    live({ kind: 'backfill-progress', progress: { done: 10, estimate: 100, nextBatchRows: 5 } });
    expect(tty.join('')).toMatch(/000002_backfill\.up\.sql.*10 of ~100 rows · [\d,]+ rows\/s/);
  });

  it('--batch-time: a duration in ms or s, 0 for fixed batches; nonsense is a usage error', async () => {
    expect((await decisionsFromFlags({})).decisions.batchTimeMs).toBe(50);
    expect((await decisionsFromFlags({ batchTime: '0.2s' })).decisions.batchTimeMs).toBe(200);
    expect((await decisionsFromFlags({ batchTime: '0' })).decisions.batchTimeMs).toBe(0);
    await expect(decisionsFromFlags({ batchTime: 'fast' })).rejects.toBeInstanceOf(PgshiftError);
    await expect(decisionsFromFlags({ batchTime: '2min' })).rejects.toThrow(/--batch-time/);
  });
});
