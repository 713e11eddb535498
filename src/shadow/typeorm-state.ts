/**
 * Live mode for a TypeORM-format folder: TypeORM's `migrations` table, not schema_migrations, says how
 * far the database is. Behind the folder's newest class → refused, as for golang-migrate files.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { latestTimestamp, type TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import { readTypeormMigrations } from '../db/typeorm-migrations';

export async function assertTypeormUpToDate(client: Client, files: readonly TypeormMigrationFile[]): Promise<void> {
  const newest = latestTimestamp(files);
  if (newest === null) return;
  const table = await readTypeormMigrations(client);
  const at = table?.newest?.timestamp ?? null;
  if (at === null || at < newest) {
    const pending = files.filter((f) => at === null || f.timestamp > at).length;
    throw new PgshiftError('BEHIND', `the database's TypeORM migrations table is at ${table?.newest?.name ?? 'none'} but the folder goes to ${files[files.length - 1]!.fileName} (${pending} pending)`, {
      hint: 'run the pending migrations first (typeorm migration:run), or run without --database-url to diff against a shadow database',
    });
  }
}
