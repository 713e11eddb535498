/** The shadow section of bench/RESULTS.md, from bench/results/shadow.json. */
import type { ShadowBenchResult, ShadowCaseResult, ShadowModeTiming } from '../shadow/shadow-result';
import { formatMs } from '../lib/stats';

const ratioCell = (ratio: number | undefined, target: number) =>
  ratio === undefined || !Number.isFinite(ratio) ? '—' : `**${ratio.toFixed(2)}** (≤ ${target}) ${ratio <= target ? '✓' : '✗'}`;
const ms = (t: ShadowModeTiming | undefined) => (t ? formatMs(t.medianMs) : '—');

/** `entity model hit ×5, shadow state miss ×5`: what the runs of a figure hit, counted. */
export function cachesSummary(t: { readonly caches?: Record<string, string>[] } | undefined): string {
  if (!t?.caches || t.caches.length === 0) return 'not recorded';
  const counts = new Map<string, number>();
  for (const run of t.caches) for (const [cache, how] of Object.entries(run)) {
    const label = `${cache} ${how.replace(/ \(.*\)$/, '')}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${label} ×${n}`).join(', ');
}

function caseLines(c: ShadowCaseResult): string[] {
  const runs = (t: ShadowModeTiming | undefined) => (t ? t.runsMs.map(Math.round).join(', ') : '—');
  const modes: [string, ShadowModeTiming | undefined][] = [
    ['shadow', c.shadow], ['live', c.live], ['shadow --no-cache', c.shadowNoCache], ['live --no-cache', c.liveNoCache],
    ['after an entity edit', c.edited], ['throwaway', c.throwaway],
  ];
  return [
    `- ${c.name} runs (ms): ${modes.map(([name, t]) => `${name} ${runs(t)}`).join('; ')}`,
    `- ${c.name} caches per figure: ${modes.map(([name, t]) => `${name}: ${cachesSummary(t)}`).join('; ')}`,
  ];
}

export function shadowSection(result: ShadowBenchResult): string {
  const m = result.machine;
  const lines: string[] = [
    '## Shadow vs live database (`bench:shadow`)',
    '',
    `Machine: ${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} × ${m.cpu} · Node ${m.node} · live PostgreSQL ${m.postgres} · pgshift at ${m.commit}  `,
    `Command: \`${result.command}\` — ${result.runs} measured runs per mode, interleaved, after one first run each.`,
    '',
    'The same `gen diff` as a whole process: on the default shadow (the warm server, its replay template cached), on',
    'a live database at the folder\'s version (`--database-url`), and on a throwaway server per run',
    '(`PGSHIFT_WARM_SHADOW=0`). "shadow" and "live" run with the run caches warm (the entity model; the shadow\'s',
    'state, so the shadow run connects to no server); "--no-cache" turns them off; "after an entity edit" changes',
    'an entity before every run (a copy of the project: both run caches and one transpiled file miss, the warm',
    'server and its template serve the replay). Cold: the first run on an empty cache folder.',
    '',
    '| project | command | shadow | live | ratio (target) | shadow --no-cache | live --no-cache | ratio --no-cache | after an entity edit | throwaway shadow | cold first run | load avg start → end |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of result.cases) {
    lines.push(`| ${c.name} | \`${c.command}\` | ${ms(c.shadow)} | ${ms(c.live)} | ${ratioCell(c.ratio, c.target)} | ${ms(c.shadowNoCache)} | ${ms(c.liveNoCache)} | ${ratioCell(c.ratioNoCache, c.target)} | ${ms(c.edited)} | ${ms(c.throwaway)} | ${formatMs(c.coldMs)} | ${c.loadAverage.start.toFixed(1)} → ${c.loadAverage.end.toFixed(1)} |`);
  }
  lines.push('', ...result.cases.flatMap(caseLines), '');
  return lines.join('\n');
}

/** One summary line per project. */
export function shadowSummary(result: ShadowBenchResult): string {
  const parts = result.cases.map((c) => {
    const noCache = c.ratioNoCache === undefined ? '' : `; with --no-cache ${ms(c.shadowNoCache)} vs ${ms(c.liveNoCache)}, ratio ${c.ratioNoCache.toFixed(2)}`;
    const edited = c.edited ? `; after an entity edit ${ms(c.edited)}` : '';
    return `${c.name}: ${ms(c.shadow)} vs ${ms(c.live)} live (run caches warm), ratio ${c.ratio.toFixed(2)} (target ≤ ${c.target} ${c.ratio <= c.target ? 'met' : 'missed'})${noCache}${edited}`;
  });
  return `- Shadow vs live, whole process \`gen diff\`: ${parts.join('; ')}.`;
}
