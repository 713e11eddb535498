/** The RESULTS.md section of `npm run bench:usage` (issue #15's write overhead). */
import type { UsageBenchResult } from '../usage/run-usage-bench';

const LABEL = { 'column-rename': 'column rename: UPDATE of the old column', 'table-rename': 'table rename: UPDATE through the view' } as const;

export function usageSection(usage: UsageBenchResult | undefined): string {
  if (!usage) return '## Contract evidence: write overhead\n\nNot run yet: `npm run bench:usage`.\n';
  const rows = usage.workloads.map((w) =>
    `| ${LABEL[w.workload]} | ${w.medianMs.none.toLocaleString('en-US')} ms | ${w.medianMs.sync.toLocaleString('en-US')} ms | ${w.medianMs['sync+usage'].toLocaleString('en-US')} ms | **${w.ratioVsSync}×** | ${w.ratioVsNone}× |`);
  return [
    '## Contract evidence: write overhead',
    '',
    `${usage.writers} connections × ${usage.writesPerWriter.toLocaleString('en-US')} autocommit single-row UPDATEs through the old shape on a ` +
    `${usage.rows.toLocaleString('en-US')}-row table, median of ${usage.rounds} interleaved rounds, each on a fresh database (${usage.server.split(' on ')[0]}).`,
    '`none`: no trigger; `sync`: the expand\'s trigger (or bare view) as before usage evidence; `sync+usage`: as pgshift now plans it, stamping `pgshift_contract_usage` at most once a second.',
    '',
    '| old-shape writes | none | sync | sync+usage | sync+usage ÷ sync | sync+usage ÷ none |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Reproduce: `npm run bench:usage -- --rows 100000 --writers 4 --writes 3000 --rounds 3`.',
    '',
  ].join('\n');
}
