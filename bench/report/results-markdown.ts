/**
 * bench/RESULTS.md from the recorded JSON: the tables first (what a reader came for), then machine facts,
 * the commands, the method and its caveats, and each engine's plan per kind so a number can be checked.
 */
import type { DiffBenchResult, EngineDiffTiming } from '../diff/diff-result';
import type { StallBenchResult, StallEngineResult } from '../stall/stall-result';
import type { MachineFacts } from '../lib/machine';
import { cachesSummary } from './shadow-markdown';
import { formatMs } from '../lib/stats';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function roundTrips(t: EngineDiffTiming): string {
  if (!t.roundTrips) return '—';
  const { queries, syncs, connections } = t.roundTrips;
  return `${queries + syncs} (${connections} conn.)`;
}

function machineLine(m: MachineFacts): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB · Linux ${m.kernel} · Node ${m.node} · PostgreSQL ${m.postgres} · TypeORM ${m.typeorm} · pgshift at ${m.commit}`;
}

export function diffSection(diff: DiffBenchResult): string {
  const lines: string[] = [
    '## Diff speed (`bench:diff`)',
    '',
    `Machine: ${machineLine(diff.machine)}  `,
    `Command: \`${diff.command}\` — ${diff.runsPerSize} measured runs per engine and size, after one first run each.`,
    '',
    '| entities | FKs | indexes | TypeORM wall | pgshift wall | ratio (target) | pgshift after an entity edit | ratio after an edit | TypeORM CPU | pgshift CPU | CPU ratio | round trips TypeORM / pgshift | load avg start → end |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of diff.sizes) {
    const ratio = s.ratio === null ? `— (${s.pgshift.status})` : `**${s.ratio.toFixed(2)}** (≤ ${s.target}) ${s.ratio <= s.target ? '✓' : '✗'}`;
    const cpuRatio = s.cpuRatio === null || s.cpuRatio === undefined ? '—' : s.cpuRatio.toFixed(2);
    const pgshiftWall = s.pgshift.status === 'ok' ? formatMs(s.pgshift.medianMs) : s.pgshift.status;
    const load = s.loadAverage ? `${s.loadAverage.start.toFixed(1)} → ${s.loadAverage.end.toFixed(1)}` : '—';
    const edited = s.pgshiftEdited?.status === 'ok' ? formatMs(s.pgshiftEdited.medianMs) : '—';
    const ratioEdited = s.ratioEdited === null || s.ratioEdited === undefined ? '—' : s.ratioEdited.toFixed(2);
    lines.push(`| ${s.tables.toLocaleString('en-US')} | ${s.foreignKeys.toLocaleString('en-US')} | ${s.indexes.toLocaleString('en-US')} | ${formatMs(s.typeorm.medianMs)} | ${pgshiftWall} | ${ratio} | ${edited} | ${ratioEdited} | ${formatMs(s.typeorm.medianCpuMs ?? NaN)} | ${formatMs(s.pgshift.medianCpuMs ?? NaN)} | ${cpuRatio} | ${roundTrips(s.typeorm)} / ${roundTrips(s.pgshift)} | ${load} |`);
  }
  lines.push('', 'Wall and CPU are medians of the measured runs; CPU is the engine process\'s own user + system time (the');
  lines.push('server\'s work on its catalog queries is not in it). A load average above the core count means other work');
  lines.push('shared the machine: trust the CPU columns more than the wall columns then. First runs (pgshift\'s with a cold');
  lines.push('transpile cache) are listed per size below. "pgshift wall" ran with its entity model cache warm (the entities');
  lines.push('unchanged since the run before: no TypeORM, no entity file loaded); "after an entity edit" edits the changed');
  lines.push('entity before every run (a copy of the project): the model cache and that file\'s transpile miss. Which caches');
  lines.push('each run hit is listed per size below.');
  lines.push('');
  const splits = diff.sizes.filter((s) => s.pgshift.timeSplitMs);
  if (splits.length > 0) {
    lines.push('pgshift\'s own time split (`--verbose`, one extra run; the rest of the wall time is Node start-up, module loading and output):', '');
    for (const s of splits) {
      const parts = Object.entries(s.pgshift.timeSplitMs!).map(([phase, ms]) => `${phase} ${formatMs(ms)}`);
      lines.push(`- ${s.tables.toLocaleString('en-US')} entities: ${parts.join(' · ')}`);
    }
    lines.push('');
  }
  for (const s of diff.sizes) {
    lines.push(`<details><summary>${s.tables} entities: runs, what each engine printed</summary>`, '');
    lines.push(`Change: \`${s.change}\`. Schema built by TypeORM synchronize in ${formatMs(s.synchronizeMs)}.`, '');
    for (const [name, t] of [['TypeORM', s.typeorm], ['pgshift', s.pgshift], ['pgshift after an entity edit', s.pgshiftEdited]] as const) {
      if (!t) continue;
      const runs = t.runsMs.map(Math.round).join(', ') || '—';
      const cpu = (t.cpuRunsMs ?? []).map(Math.round).join(', ') || '—';
      lines.push(`- ${name}: first run ${formatMs(t.firstRunMs ?? NaN)}; runs (ms) ${runs}; CPU (ms) ${cpu}${t.note ? ` — ${cell(t.note)}` : ''}${t.caches ? `; caches: ${cachesSummary(t)}` : ''}`);
    }
    lines.push('', 'TypeORM\'s migration (up, then down):', '```sql', s.typeorm.outputPreview ?? '', '```');
    if (s.pgshift.outputPreview) lines.push('', 'pgshift `gen diff --dry-run`:', '```', s.pgshift.outputPreview, '```');
    lines.push('', `pgshift \`--verbose\` (time split / round trips): ${s.pgshift.verbose ? '' : s.pgshift.status === 'ok' ? 'prints nothing extra' : 'not measured'}`);
    if (s.pgshift.verbose) lines.push('```', s.pgshift.verbose, '```');
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function dataCell(r: StallEngineResult): string {
  if (!r.data) return '—';
  const d = r.data;
  if (d.verdict === 'changed') return `**changed** (${d.badRows.toLocaleString('en-US')} rows)`;
  if (d.verdict === 'missing values') return `**missing** (${d.badRows.toLocaleString('en-US')} NULL)`;
  if (d.verdict === 'column dropped') return '**column dropped**';
  return d.verdict;
}

function engineCells(r: StallEngineResult): string[] {
  const status = r.status === 'ok' ? 'ok' : `**${r.status}**`;
  return [
    r.longestWriteMs === null ? '—' : formatMs(r.longestWriteMs),
    r.status === 'unavailable' ? '—' : String(r.writerErrors),
    r.migrationMs === null ? '—' : formatMs(r.migrationMs),
    status,
    dataCell(r),
  ];
}

function loadRange(stall: StallBenchResult): string {
  const loads = stall.kinds.flatMap((k) => [k.pgshift.loadAverage, k.typeorm.loadAverage]).filter((l): l is number => l !== undefined);
  return loads.length === 0 ? '—' : `${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}`;
}

export function stallSection(stall: StallBenchResult): string {
  const lines: string[] = [
    '## Write stalls (`bench:stall`)',
    '',
    `Machine: ${machineLine(stall.machine)}  `,
    `Command: \`${stall.command}\` — ${stall.rows.toLocaleString('en-US')} rows in \`bench_items\` (seeded in ${formatMs(stall.seedMs)}), three writers (two updating random seeded rows, one inserting) with ${stall.thinkMs} ms between writes.`,
    '',
    ...(stall.notes ?? []).map((n) => `Note: ${n}  `),
    `1-minute load average when each migration started: ${loadRange(stall)} (${stall.machine.cores} cores).${stall.idleLongestWriteMs === undefined ? '' : ` With no migration running, the same writers' longest write was ${formatMs(stall.idleLongestWriteMs)} (the machine's noise floor).`}${stall.bulkWriteFloor === undefined ? '' : ` While a copy table they never touch was rewritten twice (${formatMs(stall.bulkWriteFloor.bulkWriteMs)}, ${stall.bulkWriteFloor.checkpoints ?? '?'} checkpoints), it was ${formatMs(stall.bulkWriteFloor.longestWriteMs)} (the server's I/O floor).`}`,
    '',
    '| plan kind | engine | longest write | writer errors | migration time | migration | data of the column |',
    '|---|---|---:|---:|---:|---|---|',
  ];
  for (const k of stall.kinds) {
    lines.push(`| ${k.label} | pgshift | ${engineCells(k.pgshift).join(' | ')} |`);
    lines.push(`|  | TypeORM | ${engineCells(k.typeorm).join(' | ')} |`);
  }
  lines.push('');
  for (const k of stall.kinds) {
    lines.push(`<details><summary>${k.label}: plans, errors</summary>`, '');
    for (const [name, r] of [['pgshift', k.pgshift], ['TypeORM', k.typeorm]] as const) {
      lines.push(`**${name}** (${r.status}${r.note ? `: ${cell(r.note).slice(0, 400)}` : ''})`, '');
      if (r.longestWriteDuring !== undefined) lines.push(`- longest write (${r.longestWriteMs === null ? '—' : formatMs(r.longestWriteMs)}) started during: ${r.longestWriteDuring ? `\`${r.longestWriteDuring}\`` : 'no file (between files)'}`);
      if (r.files) {
        for (const f of r.files) lines.push(`- \`${f.file}\` ${formatMs(f.ms)}${f.nonTransactional ? ', non-transactional' : ''}${f.retries ? `, ${f.retries} lock-timeout retries` : ''}`);
      } else if (r.plan.length > 0) {
        lines.push('```sql', ...r.plan.map((q) => `${q.trim()};`), '```');
      }
      for (const [message, count] of Object.entries(r.writerErrorMessages)) lines.push(`- writer error ×${count}: ${cell(message)}`);
      if (r.data?.checksumBefore || r.data?.checksumAfter) lines.push(`- checksum before/after: \`${r.data.checksumBefore ?? '—'}\` / \`${r.data.checksumAfter ?? '—'}\``);
      lines.push('');
    }
    lines.push('</details>', '');
  }
  return lines.join('\n');
}

/**
 * ✓ at most 100 ms; "I/O" above it but within the run's I/O floor while a checkpoint ran during the plan
 * (the server's fsyncs, which the same writers meet with no lock in common); ✗ otherwise.
 */
function stallMark(r: StallEngineResult, run: StallBenchResult): string {
  if (r.longestWriteMs === null) return '';
  if (r.longestWriteMs <= 100) return '✓';
  const withinIo = run.bulkWriteFloor !== undefined && r.longestWriteMs <= run.bulkWriteFloor.longestWriteMs && (r.checkpoints ?? 0) > 0;
  return withinIo ? 'I/O' : '✗';
}

/** The two floors of a run, as the summary lines say them. */
function floorsText(run: StallBenchResult): string {
  const parts = [
    run.idleLongestWriteMs === undefined ? null : `no migration running: ${formatMs(run.idleLongestWriteMs)}`,
    run.bulkWriteFloor === undefined ? null : `I/O floor: ${formatMs(run.bulkWriteFloor.longestWriteMs)}`,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/**
 * Every batched backfill beside one plain UPDATE of the same rows (bench/stall/backfill-baseline.ts), for
 * each recorded run (the main one and any other table size).
 */
export function backfillSection(runs: readonly StallBenchResult[]): string {
  const rows = runs.flatMap((run) => run.kinds.flatMap((k) => (k.pgshift.backfills ?? []).map((b) => ({ run, k, b }))));
  if (rows.length === 0) return '';
  const lines = [
    '## Backfills: time-bounded batches vs one plain UPDATE',
    '',
    'Each pgshift backfill (batches sized to hold their row locks about 50 ms, at most 5,000 rows) beside one plain',
    '`UPDATE … SET <same> WHERE <same>` of the same rows, on a fresh copy at the same point of the plan (the files before',
    'the backfill applied: same columns, same sync triggers), under the same writers. Targets: longest app write ≤ 100 ms',
    'while the backfill runs; backfill total within 2× of the plain UPDATE. "Noise floor": the same writers\' longest',
    'write with no migration running, on the same machine in the same run — a longest write below it says nothing',
    'about the migration, and one above the target while the floor is too cannot be judged. "I/O floor": the same',
    'writers while a copy of the table, which they never touch, is rewritten in full twice (no lock in common; the WAL',
    'and checkpoints of two backfills): what the server\'s own I/O costs one write. A longest write above 100 ms but',
    'within the I/O floor, with a checkpoint during the plan, is marked "I/O": the checkpoint\'s fsyncs, not a lock.',
    '',
    '| rows | plan kind | longest write, whole plan | checkpoints during the plan | noise floor | I/O floor | load avg | backfill | one plain UPDATE | ratio (≤ 2) | longest write under the plain UPDATE |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { run, k, b } of rows) {
    const ratio = b.ratio === null ? '—' : `**${b.ratio.toFixed(2)}** ${b.ratio <= 2 ? '✓' : '✗'}`;
    const longest = k.pgshift.longestWriteMs === null ? '—' : `${formatMs(k.pgshift.longestWriteMs)} ${stallMark(k.pgshift, run)}`;
    const floor = run.idleLongestWriteMs === undefined ? '—' : formatMs(run.idleLongestWriteMs);
    const ioFloor = run.bulkWriteFloor === undefined ? '—' : formatMs(run.bulkWriteFloor.longestWriteMs);
    lines.push(`| ${run.rows.toLocaleString('en-US')} | ${k.label} | ${longest} | ${k.pgshift.checkpoints ?? '—'} | ${floor} | ${ioFloor} | ${k.pgshift.loadAverage?.toFixed(1) ?? '—'} | ${formatMs(b.backfillMs)} | ${b.plainUpdateMs === null ? `— (${cell(b.note ?? '')})` : formatMs(b.plainUpdateMs)} | ${ratio} | ${b.plainLongestWriteMs === null ? '—' : formatMs(b.plainLongestWriteMs)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** One summary line per other recorded table size (e.g. stall-300k.json beside the main stall.json). */
export function otherSizeSummary(run: StallBenchResult): string {
  const ran = run.kinds.map((k) => k.pgshift).filter((r) => r.longestWriteMs !== null);
  const worst = Math.max(...ran.map((r) => r.longestWriteMs!));
  const errors = ran.reduce((n, r) => n + r.writerErrors, 0);
  const ratios = run.kinds.flatMap((k) => (k.pgshift.backfills ?? []).map((b) => b.ratio)).filter((r): r is number => r !== null);
  const ratioText = ratios.length > 0 ? `; backfill vs one plain UPDATE ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×` : '';
  const over = ran.filter((r) => stallMark(r, run) === '✗').length;
  const io = ran.filter((r) => stallMark(r, run) === 'I/O').length;
  const verdict = over + io === 0 ? '' : `; above 100 ms: ${io} within the I/O floor, ${over} not`;
  return `- Stalls, pgshift, ${run.kinds.length} plan kinds on ${run.rows.toLocaleString('en-US')} rows (${run.machine.date.slice(0, 16).replace('T', ' ')} UTC): longest app write ${formatMs(worst)}${floorsText(run)}, ${errors} writer errors${verdict}${ratioText}.`;
}

/** The few sentences a reader wants before the tables, computed from the same results. */
export function summarySection(diff: DiffBenchResult | undefined, stall: StallBenchResult | undefined): string {
  const lines: string[] = ['## Summary', ''];
  if (diff) {
    const parts = diff.sizes.map((s) => s.ratio === null
      ? `${s.tables.toLocaleString('en-US')} entities: pgshift ${s.pgshift.status}`
      : `${s.tables.toLocaleString('en-US')} entities: ${formatMs(s.pgshift.medianMs)} vs ${formatMs(s.typeorm.medianMs)}, ratio ${s.ratio.toFixed(2)} (target ≤ ${s.target} ${s.ratio <= s.target ? 'met' : 'missed'})`);
    lines.push(`- Diff, whole process, pgshift vs TypeORM: ${parts.join('; ')}.`);
  }
  if (stall) {
    const ran = (e: 'pgshift' | 'typeorm') => stall.kinds.map((k) => k[e]).filter((r) => r.longestWriteMs !== null);
    const worst = (e: 'pgshift' | 'typeorm') => Math.max(...ran(e).map((r) => r.longestWriteMs!));
    const errors = (e: 'pgshift' | 'typeorm') => ran(e).reduce((n, r) => n + r.writerErrors, 0);
    const count = (e: 'pgshift' | 'typeorm', test: (r: StallEngineResult) => boolean) => stall.kinds.filter((k) => test(k[e])).length;
    for (const [name, e] of [['pgshift', 'pgshift'], ['TypeORM', 'typeorm']] as const) {
      if (ran(e).length === 0) {
        lines.push(`- Stalls, ${name}: not measured (${stall.kinds[0]?.[e].status ?? 'no kinds'}).`);
        continue;
      }
      const failed = count(e, (r) => r.status === 'failed');
      const notRun = count(e, (r) => r.status === 'decision' || r.status === 'unavailable');
      const lost = count(e, (r) => r.data !== null && ['changed', 'column dropped', 'missing values'].includes(r.data.verdict));
      lines.push(`- Stalls, ${name}, ${stall.kinds.length} plan kinds on ${stall.rows.toLocaleString('en-US')} rows: longest app write ${formatMs(worst(e))}${floorsText(stall)}, `
        + `${errors(e)} writer errors, ${failed} failed migration${failed === 1 ? '' : 's'}, data changed or lost in ${lost} kind${lost === 1 ? '' : 's'}`
        + `${notRun > 0 ? `, ${notRun} not run` : ''}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}
