/**
 * What every `npm run bench:*` entry does around its measurement: parse the flags, open the server
 * (`--admin-url` / `--embedded`, bench/lib/server.ts), write the result to bench/results/<file>, re-render
 * bench/RESULTS.md, stop the server, and exit 1 with the error on a failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './cli-args';
import { RESULTS_DIR } from './paths';
import { openBenchServer } from './server';
import { renderReport } from '../report/render-report';

export interface BenchRun {
  readonly args: ReturnType<typeof parseArgs>;
  readonly adminUrl: string;
  /** How the run was started, as the results record it: `npm run bench:<name> -- <flags>`. */
  readonly command: string;
}

export function benchMain(name: string, measure: (run: BenchRun) => Promise<{ readonly file: string; readonly result: unknown }>): void {
  const main = async () => {
    const argv = process.argv.slice(2);
    const args = parseArgs(argv);
    const server = await openBenchServer({ adminUrl: args.get('admin-url'), embedded: args.has('embedded') });
    try {
      const command = `npm run bench:${name} -- ${argv.join(' ')}`.trim().replace(/ --$/, '');
      const { file, result } = await measure({ args, adminUrl: server.adminUrl, command });
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify(result, null, 2)}\n`);
      renderReport();
    } finally {
      await server.stop();
    }
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
