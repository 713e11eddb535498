/**
 * `npm run bench:stall [-- --rows 1000000 --kinds add-index,rename-column --engines pgshift --out stall-1m.json --think-ms 2 --admin-url URL | --embedded]`
 * Writes bench/results/stall.json and re-renders bench/RESULTS.md and bench/results.svg.
 */
import { benchMain } from '../lib/bench-main';
import { runStallBench, type Engine } from './run-stall-bench';

benchMain('stall', async ({ args, adminUrl, command }) => ({
  // `--out stall-1m.json`: another table size, kept beside the main run and summarized with it.
  file: args.get('out') ?? 'stall.json',
  result: await runStallBench({
    adminUrl,
    rows: Number(args.get('rows') ?? 1_000_000),
    kinds: args.get('kinds')?.split(',').map((k) => k.trim()),
    engines: args.get('engines')?.split(',').map((e) => e.trim() as Engine),
    thinkMs: args.has('think-ms') ? Number(args.get('think-ms')) : undefined,
    ...(args.get('prefix') ? { databasePrefix: args.get('prefix') } : {}),
    command,
  }),
}));
