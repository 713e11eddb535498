/**
 * bench/results.svg, written by hand (no chart library): diff-time bars per project size with the ratio
 * and its target, then longest-write bars per plan kind on a log scale, pgshift beside TypeORM, with what
 * went wrong written next to a bar. Meant to be read at a glance on GitHub.
 */
import type { DiffBenchResult } from '../diff/diff-result';
import type { StallBenchResult, StallEngineResult } from '../stall/stall-result';

const WIDTH = 960;
const LABEL_W = 230;
const BAR_H = 11;
const COLORS = { pgshift: '#1f6fb2', typeorm: '#e0701b', grid: '#dddddd', text: '#222222', dim: '#777777', bad: '#b3261e' };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h}" fill="${fill}"/>`;
}

function msLabel(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

function legend(y: number): string {
  return [
    rect(LABEL_W, y - 9, 12, 10, COLORS.pgshift), text(LABEL_W + 17, y, 'pgshift'),
    rect(LABEL_W + 90, y - 9, 12, 10, COLORS.typeorm), text(LABEL_W + 107, y, 'TypeORM'),
  ].join('');
}

function diffPanel(diff: DiffBenchResult, top: number): { svg: string; height: number } {
  const parts: string[] = [text(20, top + 18, 'Diff time — whole process, median of runs (lower is better)', 'font-weight="bold" font-size="15"')];
  const plotW = WIDTH - LABEL_W - 200;
  const maxMs = Math.max(1, ...diff.sizes.flatMap((s) => [s.typeorm.medianMs, s.pgshift.medianMs].filter(Number.isFinite)));
  let y = top + 40;
  for (const size of diff.sizes) {
    parts.push(text(20, y + 14, `${size.tables.toLocaleString('en-US')} entities`, 'font-weight="bold"'));
    const rows: Array<[string, number, string]> = [
      ['pgshift', size.pgshift.medianMs, COLORS.pgshift],
      ['typeorm', size.typeorm.medianMs, COLORS.typeorm],
    ];
    rows.forEach(([engine, ms, color], i) => {
      const by = y + i * (BAR_H + 4);
      if (Number.isFinite(ms)) {
        const w = (ms / maxMs) * plotW;
        parts.push(rect(LABEL_W, by, w, BAR_H, color), text(LABEL_W + w + 6, by + 10, msLabel(ms), 'font-size="11"'));
      } else {
        parts.push(text(LABEL_W, by + 10, `${engine}: ${(engine === 'pgshift' ? size.pgshift : size.typeorm).status}`, `font-size="11" fill="${COLORS.dim}"`));
      }
    });
    const cpu = size.cpuRatio === null || size.cpuRatio === undefined ? '' : `, CPU ${size.cpuRatio.toFixed(2)}`;
    const ratio = size.ratio === null ? 'ratio —' : `ratio ${size.ratio.toFixed(2)}${cpu}`;
    const verdict = size.ratio === null ? '' : size.ratio <= size.target ? ' ✓' : ' ✗';
    const color = size.ratio === null ? COLORS.dim : size.ratio <= size.target ? COLORS.text : COLORS.bad;
    parts.push(text(20, y + 27, `${ratio} (target ≤ ${size.target})${verdict}`, `font-size="10" fill="${color}"`));
    y += 2 * (BAR_H + 4) + 14;
  }
  return { svg: parts.join('\n'), height: y - top };
}

function stallNote(result: StallEngineResult): string {
  const notes: string[] = [];
  if (result.status !== 'ok') notes.push(result.status === 'failed' ? 'migration failed' : result.status);
  if (result.writerErrors > 0) notes.push(`${result.writerErrors} write errors`);
  const data = result.data;
  if (data && !['intact', 'backfilled', 'not added'].includes(data.verdict)) {
    notes.push(data.verdict === 'column dropped' ? 'column dropped' : `data ${data.verdict} in ${data.badRows.toLocaleString('en-US')} rows`);
  }
  return notes.join(', ');
}

function stallPanel(stall: StallBenchResult, top: number): { svg: string; height: number } {
  const parts: string[] = [
    text(20, top + 18, `Longest single app write during the migration — ${stall.rows.toLocaleString('en-US')} rows, 2 writers (log scale, lower is better)`, 'font-weight="bold" font-size="15"'),
  ];
  const plotW = WIDTH - LABEL_W - 230;
  const values = stall.kinds.flatMap((k) => [k.pgshift.longestWriteMs, k.typeorm.longestWriteMs]).filter((v): v is number => v !== null);
  const maxDecade = Math.max(2, Math.ceil(Math.log10(Math.max(10, ...values))));
  const x = (ms: number) => LABEL_W + (Math.log10(Math.max(1, ms)) / maxDecade) * plotW;
  let y = top + 34;
  // Grid: one line per decade from 1 ms.
  const gridTop = y;
  const gridBottom = y + stall.kinds.length * (2 * (BAR_H + 2) + 10);
  for (let d = 0; d <= maxDecade; d += 1) {
    const gx = x(10 ** d);
    parts.push(`<line x1="${gx.toFixed(1)}" y1="${gridTop}" x2="${gx.toFixed(1)}" y2="${gridBottom}" stroke="${COLORS.grid}"/>`);
    const label = d < 3 ? `${10 ** d} ms` : `${10 ** (d - 3)} s`;
    parts.push(text(gx - 10, gridBottom + 14, label, `font-size="10" fill="${COLORS.dim}"`));
  }
  for (const kind of stall.kinds) {
    parts.push(text(20, y + 16, kind.label));
    ([['pgshift', kind.pgshift, COLORS.pgshift], ['typeorm', kind.typeorm, COLORS.typeorm]] as const).forEach(([engine, result, color], i) => {
      const by = y + i * (BAR_H + 2);
      const note = stallNote(result);
      if (result.longestWriteMs !== null) {
        const w = x(result.longestWriteMs) - LABEL_W;
        parts.push(rect(LABEL_W, by, w, BAR_H, color));
        parts.push(text(LABEL_W + w + 5, by + 10, msLabel(result.longestWriteMs), 'font-size="10"'));
        if (note) parts.push(text(WIDTH - 225, by + 10, note, `font-size="10" fill="${COLORS.bad}"`));
      } else {
        parts.push(text(LABEL_W + 4, by + 10, `${engine}: ${result.status}`, `font-size="10" fill="${COLORS.dim}"`));
      }
    });
    y += 2 * (BAR_H + 2) + 10;
  }
  return { svg: parts.join('\n'), height: gridBottom + 24 - top };
}

export function renderSvg(diff: DiffBenchResult | undefined, stall: StallBenchResult | undefined): string {
  const panels: string[] = [];
  let y = 10;
  panels.push(legend(y + 14));
  y += 24;
  if (diff) {
    const panel = diffPanel(diff, y);
    panels.push(panel.svg);
    y += panel.height + 10;
  }
  if (stall) {
    const panel = stallPanel(stall, y);
    panels.push(panel.svg);
    y += panel.height + 10;
  }
  const facts = diff?.machine ?? stall?.machine;
  if (facts) {
    panels.push(text(20, y + 12, `${facts.date.slice(0, 10)} · ${facts.cores} cores ${facts.cpu} · PostgreSQL ${facts.postgres.split(' ')[0]} · TypeORM ${facts.typeorm} · pgshift ${facts.commit} · node ${facts.node} · details: bench/RESULTS.md`, `font-size="10" fill="${COLORS.dim}"`));
    y += 22;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="${COLORS.text}">
<rect width="100%" height="100%" fill="#ffffff"/>
${panels.join('\n')}
</svg>
`;
}
