/**
 * Process entry (run under ts-node): builds the schema of a project's entities with TypeORM's
 * `synchronize`, the way a team without migrations gets its first database.
 * Usage: node -r ts-node/register/transpile-only typeorm-synchronize.entry.ts <ormconfig.ts>
 */
import 'reflect-metadata';
import { loadDataSourceLikeTypeormCli } from './typeorm-load';

async function main(): Promise<void> {
  const dataSource = await loadDataSourceLikeTypeormCli(process.argv[2] ?? 'ormconfig.ts');
  await dataSource.initialize();
  try {
    await dataSource.synchronize();
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
