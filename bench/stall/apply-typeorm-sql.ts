/**
 * Applies TypeORM's generated statements the way `migration:run` does by default (transaction "all"): one
 * transaction, one query per statement, no lock_timeout. A failure rolls everything back.
 */
import { Client } from 'pg';
import type { TypeormQuery } from '../lib/typeorm-process';
import type { MigrationRun } from './apply-migration-files';

export async function applyTypeormQueries(databaseUrl: string, queries: readonly TypeormQuery[], statementTimeoutMs: number): Promise<MigrationRun> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-typeorm-migrate' });
  await client.connect();
  const started = Date.now();
  try {
    await client.query(`SET statement_timeout = ${Math.round(statementTimeoutMs)}`);
    await client.query('BEGIN');
    try {
      for (const q of queries) await client.query(q.query, q.parameters);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return { ok: false, totalMs: Date.now() - started, files: [], error: (error as Error).message };
    }
    return { ok: true, totalMs: Date.now() - started, files: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}
