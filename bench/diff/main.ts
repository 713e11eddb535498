/**
 * `npm run bench:diff [-- --sizes 100,1000 --runs 5 --admin-url URL | --embedded]`
 * Writes bench/results/diff.json and re-renders bench/RESULTS.md and bench/results.svg.
 */
import { benchMain } from '../lib/bench-main';
import { runDiffBench } from './run-diff-bench';

benchMain('diff', async ({ args, adminUrl, command }) => ({
  file: 'diff.json',
  result: await runDiffBench({
    adminUrl,
    sizes: (args.get('sizes') ?? '100,1000').split(',').map((s) => Number(s.trim())),
    runs: Number(args.get('runs') ?? 5),
    command,
  }),
}));
