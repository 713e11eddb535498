/**
 * TypeORM's side, always as separate processes that load the project's TypeScript with ts-node in
 * transpile-only mode — what `typeorm-ts-node-commonjs` users run (with TS_NODE_TRANSPILE_ONLY=true; without
 * it ts-node also type-checks every entity, which would only make TypeORM slower).
 */
import { join } from 'node:path';
import { runTimed, tail, type ProcessResult } from './timed-process';
import { TS_NODE_TRANSPILE_ONLY, TYPEORM_TS_NODE_CLI } from './paths';

export interface TypeormQuery {
  readonly query: string;
  readonly parameters: unknown[];
}

export interface TypeormSchemaLog {
  readonly up: TypeormQuery[];
  readonly down: TypeormQuery[];
}

function tsNodeEnv(projectDir: string, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    TS_NODE_TRANSPILE_ONLY: 'true',
    TS_NODE_PROJECT: join(projectDir, 'tsconfig.json'),
  };
}

async function runEntry(entry: string, projectDir: string, databaseUrl: string, timeoutMs: number): Promise<ProcessResult> {
  const result = await runTimed(
    process.execPath,
    ['-r', TS_NODE_TRANSPILE_ONLY, join(__dirname, entry), join(projectDir, 'ormconfig.ts')],
    { cwd: projectDir, env: tsNodeEnv(projectDir, databaseUrl), timeoutMs },
  );
  if (result.exitCode !== 0) {
    throw new Error(`TypeORM ${entry} failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}):\n${tail(result.stderr || result.stdout)}`);
  }
  return result;
}

/** Creates every table of the project on an empty database with TypeORM's synchronize. */
export async function typeormSynchronize(projectDir: string, databaseUrl: string, timeoutMs = 600_000): Promise<number> {
  return (await runEntry('typeorm-synchronize.entry.ts', projectDir, databaseUrl, timeoutMs)).ms;
}

/** The SQL TypeORM would generate for the project's entities against the database. */
export async function typeormSchemaLog(projectDir: string, databaseUrl: string, timeoutMs = 600_000): Promise<TypeormSchemaLog> {
  const result = await runEntry('typeorm-schema-log.entry.ts', projectDir, databaseUrl, timeoutMs);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TypeormSchemaLog;
}

/**
 * The timed baseline: TypeORM's own CLI, `typeorm-ts-node-commonjs migration:generate --dryrun`, which loads
 * the entities, connects, runs `createSchemaBuilder().log()` and prints the migration.
 */
export function typeormGenerateDryRun(projectDir: string, databaseUrl: string, options: { timeoutMs?: number; measureCpu?: boolean } = {}): Promise<ProcessResult> {
  return runTimed(
    process.execPath,
    [TYPEORM_TS_NODE_CLI, 'migration:generate', join(projectDir, 'migrations-typeorm', 'Bench'), '-d', 'ormconfig.ts', '--dryrun'],
    { cwd: projectDir, env: tsNodeEnv(projectDir, databaseUrl), timeoutMs: options.timeoutMs ?? 600_000, measureCpu: options.measureCpu },
  );
}
