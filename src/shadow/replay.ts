/**
 * Replays `migrations/*.up.sql` in version order onto an empty database, as golang-migrate would: each
 * file's whole text as one query. A failing file is named with the server's message.
 */
import type { ClientBase } from 'pg';
import { PgshiftError } from '../errors';
import { readMigrationText, type Migration } from '../migrations-dir/files';

/**
 * A `pgshift baseline` file recreates the whole adopted schema, so the files before it (if any) were
 * superseded by it: the replay starts at the newest baseline.
 */
export function fromNewestBaseline(migrations: readonly Migration[]): readonly Migration[] {
  const at = migrations.map((m) => m.title).lastIndexOf('baseline');
  return at <= 0 ? migrations : migrations.slice(at);
}

export async function replayMigrations(client: ClientBase, migrations: readonly Migration[]): Promise<void> {
  for (const migration of fromNewestBaseline(migrations)) {
    if (!migration.up) continue;
    const sql = readMigrationText(migration.up);
    try {
      await client.query(sql);
    } catch (error) {
      const err = error as { message?: string; position?: string };
      throw new PgshiftError('REPLAY', `${migration.up.fileName} failed on the shadow database: ${err.message ?? String(error)}`, {
        hint: 'fix or remove that migration file; the shadow database replays every up file in order',
      });
    }
  }
}
