/**
 * The work connection's timeouts. They are set again before every file because a transactional file may
 * `SET lock_timeout`/`statement_timeout` itself (pgshift's own files do), and a plain SET outlives the
 * file on the session — a later CREATE INDEX CONCURRENTLY must not inherit a 60 s statement timeout.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';

export async function applySessionTimeouts(client: Client, lockTimeout: string, statementTimeout: string): Promise<void> {
  for (const [setting, value, flag] of [
    ['lock_timeout', lockTimeout, '--lock-timeout'],
    ['statement_timeout', statementTimeout, '--statement-timeout'],
  ] as const) {
    try {
      await client.query('SELECT set_config($1, $2, false)', [setting, value]);
    } catch (error) {
      const err = error as { code?: string; message?: string };
      if (err.code === '22023' || err.code === '22P02') {
        throw new PgshiftError('USAGE', `invalid ${flag} ${JSON.stringify(value)}: ${err.message}`, {
          hint: 'use a PostgreSQL duration such as 2s, 500ms, 5min, or 0 for none',
        });
      }
      throw error;
    }
  }
}
