/**
 * `npm run bench:shadow [-- --runs 7 --tables 100 --files 50 --admin-url URL]`
 * Writes bench/results/shadow.json and re-renders bench/RESULTS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../lib/cli-args';
import { openBenchServer } from '../lib/server';
import { RESULTS_DIR } from '../lib/paths';
import { renderReport } from '../report/render-report';
import { runShadowBench } from './run-shadow-bench';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await openBenchServer({ adminUrl: args.get('admin-url'), embedded: args.has('embedded') });
  try {
    const result = await runShadowBench({
      adminUrl: server.adminUrl,
      runs: Number(args.get('runs') ?? 7),
      tables: Number(args.get('tables') ?? 100),
      files: Number(args.get('files') ?? 50),
      command: `npm run bench:shadow -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'shadow.json'), `${JSON.stringify(result, null, 2)}\n`);
    renderReport();
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
