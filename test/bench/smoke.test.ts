/**
 * Keeps the benchmarks from rotting: both run end to end at toy sizes (3 entities; 2,000 rows and three plan
 * kinds) on the test run's server, and the report renders from their results. Both engines' sides must
 * work: this checkout's CLI has `gen diff`, so pgshift's side is never allowed to be "unavailable".
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../helpers/db';
import { WORK_DIR } from '../../bench/lib/paths';
import { pgshiftHasGenDiff } from '../../bench/lib/pgshift-process';
import { runDiffBench } from '../../bench/diff/run-diff-bench';
import { runStallBench } from '../../bench/stall/run-stall-bench';
import { diffSection, stallSection, summarySection } from '../../bench/report/results-markdown';
import { renderSvg } from '../../bench/report/svg-chart';
import type { DiffBenchResult } from '../../bench/diff/diff-result';
import type { StallBenchResult } from '../../bench/stall/stall-result';

describe('benchmarks at toy sizes', () => {
  let workDir: string;
  let diff: DiffBenchResult | undefined;
  let stall: StallBenchResult | undefined;
  const databasePrefix = `pgshift_smoke_${randomBytes(3).toString('hex')}`;
  const quiet = () => undefined;

  beforeAll(async () => {
    mkdirSync(WORK_DIR, { recursive: true });
    workDir = mkdtempSync(join(WORK_DIR, 'smoke-'));
    // The benches fall back to "unavailable" without it; here that would make the pgshift checks vacuous.
    expect(await pgshiftHasGenDiff(process.cwd()), 'the built CLI has `gen diff`').toBe(true);
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('bench:diff measures TypeORM and pgshift on a 3-entity project', async () => {
    diff = await runDiffBench({ adminUrl: adminUrl(), sizes: [3], runs: 1, workDir: join(workDir, 'diff'), databasePrefix, log: quiet });
    const [size] = diff.sizes;
    expect(size!.tables).toBe(3);
    expect(size!.typeorm.status).toBe('ok');
    expect(size!.typeorm.medianMs).toBeGreaterThan(0);
    expect(size!.typeorm.medianCpuMs).toBeGreaterThan(0);
    expect(size!.typeorm.roundTrips!.queries + size!.typeorm.roundTrips!.syncs).toBeGreaterThan(0);
    // TypeORM's answer to a widened varchar: drop and re-add the column.
    expect(size!.typeorm.outputPreview).toContain('character varying(160)');
    expect(size!.pgshift.status, size!.pgshift.note).toBe('ok');
    expect(size!.pgshift.medianMs).toBeGreaterThan(0);
    expect(size!.ratio).toBeGreaterThan(0);
    // The figure after an entity edit, and which caches each pgshift figure ran with.
    expect(size!.pgshiftEdited?.status, size!.pgshiftEdited?.note).toBe('ok');
    expect(size!.pgshift.caches?.[0]?.['entity model']).toBe('hit');
    expect(size!.pgshiftEdited!.caches?.[0]?.['entity model']).toMatch(/^miss/);
  }, 120_000);

  it('bench:stall applies both engines\' plans under two writers and checks the data', async () => {
    stall = await runStallBench({
      adminUrl: adminUrl(), rows: 2000, kinds: ['add-index', 'widen-varchar', 'add-required-column'], warmupMs: 200, idleMs: 500,
      workDir: join(workDir, 'stall'), databasePrefix, log: quiet,
    });
    const [addIndex, widen, required] = stall.kinds;
    expect(addIndex!.typeorm).toMatchObject({ status: 'ok', data: { verdict: 'intact' } });
    expect(addIndex!.typeorm.writes).toBeGreaterThan(0);
    expect(addIndex!.typeorm.longestWriteMs).toBeGreaterThan(0);
    // TypeORM drops and re-adds a widened column: every seeded title is gone.
    expect(widen!.typeorm).toMatchObject({ status: 'ok', data: { verdict: 'changed', badRows: 2000 } });
    // TypeORM adds a NOT NULL column without a default to a populated table: the migration fails.
    expect(required!.typeorm).toMatchObject({ status: 'failed', data: { verdict: 'not added' } });
    for (const kind of [addIndex!, widen!]) {
      expect(kind.pgshift, kind.pgshift.note).toMatchObject({ status: 'ok', writerErrors: 0, data: { verdict: 'intact' } });
    }
    // Expand, deploy, contract: every seeded row backfilled, and the new app's inserts never fail.
    expect(required!.pgshift, required!.pgshift.note).toMatchObject({ status: 'ok', writerErrors: 0, data: { verdict: 'backfilled', badRows: 0 } });
    expect(required!.pgshift.plan.some((file) => file.endsWith('(contract)'))).toBe(true);
  }, 60_000);

  it('bench:stall runs a rename through its gated contract, and measures a backfill against one plain UPDATE', async () => {
    const result = await runStallBench({
      adminUrl: adminUrl(), rows: 2000, kinds: ['rename-column', 'int-to-bigint'], engines: ['pgshift'], warmupMs: 200, idleMs: 500,
      workDir: join(workDir, 'stall-pgshift'), databasePrefix: `${databasePrefix}_p`, log: quiet,
    });
    const [rename, bigint] = result.kinds;
    expect(rename!.pgshift, rename!.pgshift.note).toMatchObject({ status: 'ok', writerErrors: 0 });
    expect(rename!.pgshift.plan.some((file) => file.endsWith('(contract)'))).toBe(true);
    expect(bigint!.pgshift, bigint!.pgshift.note).toMatchObject({ status: 'ok', writerErrors: 0 });
    expect(bigint!.pgshift.backfills).toHaveLength(1);
    expect(bigint!.pgshift.backfills![0], bigint!.pgshift.backfills![0]!.note).toMatchObject({ rowsUpdated: 2000 });
    expect(bigint!.pgshift.backfills![0]!.ratio).toBeGreaterThan(0);
  }, 60_000);

  it('renders the report from both results', () => {
    expect(diff && stall).toBeTruthy();
    expect(diffSection(diff!)).toContain('| 3 |');
    expect(stallSection(stall!)).toContain('widen varchar');
    expect(summarySection(diff, stall)).toContain('3 entities');
    const svg = renderSvg(diff, stall);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('add index');
  });
});
