/**
 * Process entry (run under ts-node): prints, as JSON, the SQL TypeORM's `migration:generate` would put in a
 * migration — `driver.createSchemaBuilder().log()` against the live database.
 * Usage: node -r ts-node/register/transpile-only typeorm-schema-log.entry.ts <ormconfig.ts>
 */
import 'reflect-metadata';
import { loadDataSourceLikeTypeormCli } from './typeorm-load';

async function main(): Promise<void> {
  const dataSource = await loadDataSourceLikeTypeormCli(process.argv[2] ?? 'ormconfig.ts');
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    const up = sql.upQueries.map((q) => ({ query: q.query, parameters: q.parameters ?? [] }));
    const down = sql.downQueries.map((q) => ({ query: q.query, parameters: q.parameters ?? [] }));
    process.stdout.write(`${JSON.stringify({ up, down })}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
