/**
 * `npm run bench:stall [-- --rows 1000000 --kinds add-index,rename-column --engines pgshift --out stall-1m.json --think-ms 2 --admin-url URL | --embedded]`
 * Writes bench/results/stall.json and re-renders bench/RESULTS.md and bench/results.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../lib/cli-args';
import { openBenchServer } from '../lib/server';
import { RESULTS_DIR } from '../lib/paths';
import { renderReport } from '../report/render-report';
import { runStallBench, type Engine } from './run-stall-bench';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await openBenchServer({ adminUrl: args.get('admin-url'), embedded: args.has('embedded') });
  try {
    const result = await runStallBench({
      adminUrl: server.adminUrl,
      rows: Number(args.get('rows') ?? 1_000_000),
      kinds: args.get('kinds')?.split(',').map((k) => k.trim()),
      engines: args.get('engines')?.split(',').map((e) => e.trim() as Engine),
      thinkMs: args.has('think-ms') ? Number(args.get('think-ms')) : undefined,
      ...(args.get('prefix') ? { databasePrefix: args.get('prefix') } : {}),
      command: `npm run bench:stall -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    // `--out stall-1m.json`: another table size, kept beside the main run and summarized with it.
    writeFileSync(join(RESULTS_DIR, args.get('out') ?? 'stall.json'), `${JSON.stringify(result, null, 2)}\n`);
    renderReport();
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
