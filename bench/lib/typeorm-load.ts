/**
 * Loads a project's ormconfig.ts the way TypeORM's own CLI does (its CommandUtils.loadDataSource), inside a
 * process that already registered ts-node, and turns off everything the CLI turns off before connecting.
 */
import type { DataSource } from 'typeorm';

interface CommandUtilsModule {
  CommandUtils: { loadDataSource(path: string): Promise<DataSource> };
}

export async function loadDataSourceLikeTypeormCli(ormconfigPath: string): Promise<DataSource> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CommandUtils } = require('typeorm/commands/CommandUtils') as CommandUtilsModule;
  const dataSource = await CommandUtils.loadDataSource(ormconfigPath);
  dataSource.setOptions({ synchronize: false, migrationsRun: false, dropSchema: false, logging: false });
  return dataSource;
}
