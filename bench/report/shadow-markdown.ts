/** The shadow section of bench/RESULTS.md, from bench/results/shadow.json. */
import type { ShadowBenchResult } from '../shadow/shadow-result';
import { formatMs } from '../lib/stats';

export function shadowSection(result: ShadowBenchResult): string {
  const m = result.machine;
  const lines: string[] = [
    '## Shadow vs live database (`bench:shadow`)',
    '',
    `Machine: ${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} × ${m.cpu} · Node ${m.node} · live PostgreSQL ${m.postgres} · pgshift at ${m.commit}  `,
    `Command: \`${result.command}\` — ${result.runs} measured runs per mode, interleaved, after one first run each.`,
    '',
    'The same `gen diff` as a whole process: on the default shadow (the warm server, its replay cached), on a',
    'live database at the folder\'s version (`--database-url`), and on a throwaway server per run',
    '(`PGSHIFT_WARM_SHADOW=0`, the path before the warm shadow). Cold: the first run on an empty cache folder.',
    '',
    '| project | command | shadow | live | ratio (target) | throwaway shadow | cold first run | load avg start → end |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of result.cases) {
    const ratio = `**${c.ratio.toFixed(2)}** (≤ ${c.target}) ${c.ratio <= c.target ? '✓' : '✗'}`;
    lines.push(`| ${c.name} | \`${c.command}\` | ${formatMs(c.shadow.medianMs)} | ${formatMs(c.live.medianMs)} | ${ratio} | ${formatMs(c.throwaway.medianMs)} | ${formatMs(c.coldMs)} | ${c.loadAverage.start.toFixed(1)} → ${c.loadAverage.end.toFixed(1)} |`);
  }
  lines.push('');
  for (const c of result.cases) {
    const runs = (t: { runsMs: number[] }) => t.runsMs.map(Math.round).join(', ');
    lines.push(`- ${c.name} runs (ms): shadow ${runs(c.shadow)}; live ${runs(c.live)}; throwaway ${runs(c.throwaway)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** One summary line per project. */
export function shadowSummary(result: ShadowBenchResult): string {
  const parts = result.cases.map((c) => `${c.name}: ${formatMs(c.shadow.medianMs)} vs ${formatMs(c.live.medianMs)} live, ratio ${c.ratio.toFixed(2)} (target ≤ ${c.target} ${c.ratio <= c.target ? 'met' : 'missed'})`);
  return `- Shadow vs live, whole process \`gen diff\`: ${parts.join('; ')}.`;
}
