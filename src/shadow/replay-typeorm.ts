/**
 * Replays a TypeORM-format migrations folder onto the shadow with TypeORM's own runner
 * (`DataSource.runMigrations`, transaction mode 'each'), as the project's deploy would.
 */
import { dirname } from 'node:path';
import { PgshiftError } from '../errors';
import { loadMigrationClasses } from '../entity-loader/migration-classes';
import { runtimeFor } from '../entity-loader/typeorm-runtime';
import type { TypeormMigrationFile } from '../migrations-dir/typeorm-files';

export async function replayTypeormMigrations(url: string, files: readonly TypeormMigrationFile[]): Promise<void> {
  if (files.length === 0) return;
  const classes = await loadMigrationClasses(files.map((f) => f.path));
  const { DataSource } = runtimeFor(dirname(files[0]!.path));
  const dataSource = new DataSource({ type: 'postgres', url, migrations: classes, migrationsTransactionMode: 'each', logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    throw new PgshiftError('REPLAY', `a TypeORM migration failed on the shadow database: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'fix or remove that migration class; the shadow database runs every class with TypeORM\'s runner in order',
    });
  } finally {
    await dataSource.destroy();
  }
}
