/**
 * `npm run bench:usage [-- --rows 100000 --writes 2000 --rounds 15 --admin-url URL | --embedded]`
 * Writes bench/results/usage.json and re-renders bench/RESULTS.md.
 */
import { benchMain } from '../lib/bench-main';
import { runUsageBench } from './run-usage-bench';

benchMain('usage', async ({ args, adminUrl }) => ({
  file: 'usage.json',
  result: await runUsageBench({
    adminUrl,
    rows: Number(args.get('rows') ?? 100_000),
    writers: 1,
    writesPerWriter: Number(args.get('writes') ?? 2000),
    rounds: Number(args.get('rounds') ?? 15),
  }),
}));
