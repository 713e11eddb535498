/**
 * pgshift's side, through its command line only (the contract other engineers build against), so the
 * benchmark measures what a user runs: `node bin/pgshift.js gen diff …`.
 */
import { runTimed, type ProcessResult } from './timed-process';
import { PGSHIFT_BIN } from './paths';

export interface GenDiffOptions {
  readonly projectDir: string;
  readonly migrationsDir: string;
  readonly databaseUrl: string;
  readonly name?: string;
  readonly dryRun?: boolean;
  readonly verbose?: boolean;
  /** Decision flags, e.g. `['--rename', 'items.old=new']`. */
  readonly decisionArgs?: readonly string[];
  /** Anything else, e.g. `['--contract']`. */
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
  readonly measureCpu?: boolean;
}

export function genDiffArgs(options: GenDiffOptions): string[] {
  return [
    PGSHIFT_BIN,
    ...(options.verbose ? ['--verbose'] : []),
    'gen', 'diff',
    ...(options.name ? [options.name] : []),
    '-c', 'ormconfig.ts',
    '-d', options.migrationsDir,
    '--database-url', options.databaseUrl,
    ...(options.dryRun ? ['--dry-run'] : []),
    ...(options.decisionArgs ?? []),
    ...(options.extraArgs ?? []),
  ];
}

export function pgshiftGenDiff(options: GenDiffOptions): Promise<ProcessResult> {
  return runTimed(process.execPath, genDiffArgs(options), {
    cwd: options.projectDir,
    env: { DATABASE_URL: options.databaseUrl },
    timeoutMs: options.timeoutMs ?? 600_000,
    measureCpu: options.measureCpu,
  });
}

/**
 * Whether this checkout's pgshift has `gen diff` yet (it lands on main while the harness is built). When it
 * does not, the benchmarks still measure TypeORM and record pgshift's side as unavailable.
 */
export async function pgshiftHasGenDiff(cwd: string): Promise<boolean> {
  const result = await runTimed(process.execPath, [PGSHIFT_BIN, 'gen', 'diff', '--help'], { cwd, timeoutMs: 60_000 });
  // Commander prints the root help (exit 0) for an unknown command, so look for the command's own usage line.
  return result.exitCode === 0 && /^Usage: pgshift gen diff/m.test(result.stdout);
}

/** Exit codes from pgshift's contract. */
export const PGSHIFT_EXIT = { ok: 0, error: 1, decision: 3 } as const;

/** `caches: {…}` of a --verbose run: which run caches it used and how (`{"entity model":"hit",…}`). */
export function parseCaches(stderr: string): Record<string, string> | undefined {
  const match = /caches: (\{.*\})/.exec(stderr);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!) as Record<string, string>;
  } catch {
    return undefined;
  }
}
