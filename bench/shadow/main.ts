/**
 * `npm run bench:shadow [-- --runs 7 --tables 100 --files 50 --admin-url URL]`
 * Writes bench/results/shadow.json and re-renders bench/RESULTS.md.
 */
import { benchMain } from '../lib/bench-main';
import { runShadowBench } from './run-shadow-bench';

benchMain('shadow', async ({ args, adminUrl, command }) => ({
  file: 'shadow.json',
  result: await runShadowBench({
    adminUrl,
    runs: Number(args.get('runs') ?? 7),
    tables: Number(args.get('tables') ?? 100),
    files: Number(args.get('files') ?? 50),
    command,
  }),
}));
