/**
 * `npm run bench:diff [-- --sizes 100,1000 --runs 5 --admin-url URL | --embedded]`
 * Writes bench/results/diff.json and re-renders bench/RESULTS.md and bench/results.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../lib/cli-args';
import { openBenchServer } from '../lib/server';
import { RESULTS_DIR } from '../lib/paths';
import { renderReport } from '../report/render-report';
import { runDiffBench } from './run-diff-bench';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sizes = (args.get('sizes') ?? '100,1000').split(',').map((s) => Number(s.trim()));
  const runs = Number(args.get('runs') ?? 5);
  const server = await openBenchServer({ adminUrl: args.get('admin-url'), embedded: args.has('embedded') });
  try {
    const result = await runDiffBench({
      adminUrl: server.adminUrl,
      sizes,
      runs,
      command: `npm run bench:diff -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'diff.json'), `${JSON.stringify(result, null, 2)}\n`);
    renderReport();
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
