/**
 * Sync writes DDL straight into a database, without files or review: it is for a developer's own
 * database only. These refusals keep it there. Each names what would allow it (exit 3), except
 * production, which nothing overrides (exit 1).
 */
import type { ClientBase } from 'pg';
import { EXIT, PgshiftError } from '../errors';
import { describeTarget } from '../db/connect';
import { parseDatabaseUrl } from '../db/connection-url';
import { VERSION_TABLE } from '../db/version-table';

export function refuseProduction(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV?.trim().toLowerCase() !== 'production') return;
  throw new PgshiftError('REFUSED', 'sync is for development databases, and NODE_ENV is production', {
    hint: 'deploy schema changes with migrations: `pgshift gen diff`, review, then `pgshift up`',
  });
}

/**
 * The host a connection URL reaches, as `pg` resolves it (its own parser: `?host=` first, then the URL's
 * host, percent-encoded for a socket path; a `socket:` URL or a bare path is a socket), then PGHOST,
 * then localhost.
 */
export function connectionHost(url: string, env: NodeJS.ProcessEnv): string {
  const { host } = parseDatabaseUrl(url).config;
  return host || env.PGHOST?.trim() || 'localhost';
}

/** localhost, 127.0.0.0/8, ::1 or a unix socket directory. */
export function isLocalHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h.startsWith('/')) return true;
  if (h === 'localhost' || h === 'localhost.') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

export function refuseRemote(url: string, env: NodeJS.ProcessEnv, allowRemote: boolean): void {
  if (allowRemote) return;
  const host = connectionHost(url, env);
  if (isLocalHost(host)) return;
  throw new PgshiftError('REFUSED', `sync only writes to a local database, and ${describeTarget(url)} is on host ${host}`, {
    hint: 'pass --allow-remote if this really is a development database (a dev container, a VM)',
    exitCode: EXIT.decision,
  });
}

/** A database that migrations manage must change through migrations, or the two drift apart. */
export async function refuseMigrationManaged(client: ClientBase, force: boolean): Promise<void> {
  if (force) return;
  const result = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = $1 AND c.relkind IN ('r', 'p')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     ORDER BY 1 LIMIT 1`,
    [VERSION_TABLE],
  );
  const row = result.rows[0];
  if (!row) return;
  throw new PgshiftError('REFUSED', `the database is managed by migrations (${row.schema}.${VERSION_TABLE} exists); sync would make it drift from migrations/`, {
    hint: 'use `pgshift gen diff` and `pgshift up`, or pass --force if you mean to sync this database anyway',
    exitCode: EXIT.decision,
  });
}
