/** Builds a database the way TypeORM's own `synchronize` does, from entities pgshift's loader compiled. */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { loadDataSource } from '../../src/entity-loader';
import { REPO_ROOT } from './cli';

export async function synchronizeWithTypeorm(configPath: string, databaseUrl: string): Promise<void> {
  const { dataSource: loaded } = await loadDataSource(configPath, { cwd: REPO_ROOT });
  // Junction tables are derived again by TypeORM from the relations.
  const entities = loaded.entityMetadatas
    .filter((m) => m.tableType !== 'junction' && m.tableType !== 'closure-junction')
    .map((m) => m.target);
  const sync = new DataSource({
    ...loaded.options, url: databaseUrl, entities, migrations: [], subscribers: [], synchronize: false, logging: false,
  } as DataSourceOptions);
  await sync.initialize();
  // TypeORM never creates schemas (#9372): a project creates them first, and so does this helper.
  const schemas = new Set(sync.entityMetadatas.map((m) => m.schema).filter((s): s is string => Boolean(s)));
  for (const schema of schemas) await sync.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
  try {
    await sync.synchronize();
  } finally {
    await sync.destroy();
  }
}
