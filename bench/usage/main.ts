/**
 * `npm run bench:usage [-- --rows 100000 --writes 2000 --rounds 15 --admin-url URL | --embedded]`
 * Writes bench/results/usage.json and re-renders bench/RESULTS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../lib/cli-args';
import { openBenchServer } from '../lib/server';
import { RESULTS_DIR } from '../lib/paths';
import { renderReport } from '../report/render-report';
import { runUsageBench } from './run-usage-bench';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await openBenchServer({ adminUrl: args.get('admin-url'), embedded: args.has('embedded') });
  try {
    const result = await runUsageBench({
      adminUrl: server.adminUrl,
      rows: Number(args.get('rows') ?? 100_000),
      writers: 1,
      writesPerWriter: Number(args.get('writes') ?? 2000),
      rounds: Number(args.get('rounds') ?? 15),
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'usage.json'), `${JSON.stringify(result, null, 2)}\n`);
    renderReport();
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
