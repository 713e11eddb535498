/**
 * Opening a connection with errors a user can act on. pg's own messages name neither the server nor
 * the fix; these do, and never print the password.
 */
import type { Client, ClientConfig } from 'pg';
import { pgModule } from './pg-module';
import { PgshiftError } from '../errors';
import { parseDatabaseUrl, redactUnparsedUrl } from './connection-url';

/**
 * The URL from `--database-url`, else `DATABASE_URL`, else undefined. Checked here, before any work
 * starts: a URL that is not PostgreSQL's, or that would leak its password, stops the command at once.
 */
export function resolveDatabaseUrl(flag: string | undefined): string | undefined {
  const url = flag ?? process.env.DATABASE_URL;
  if (!url || url.trim() === '') return undefined;
  parseDatabaseUrl(url.trim());
  return url.trim();
}

/** `host:port/dbname` for messages: never the password. */
export function describeTarget(url: string): string {
  try {
    return parseDatabaseUrl(url).target;
  } catch {
    return redactUnparsedUrl(url);
  }
}

function connectionError(url: string, error: unknown): PgshiftError {
  const err = error as { code?: string; message?: string };
  const target = describeTarget(url);
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new PgshiftError('DATABASE', `cannot reach PostgreSQL at ${target} (${err.code})`, {
        hint: 'is the server running, and are host and port in the URL right?',
      });
    case '28P01':
    case '28000':
      return new PgshiftError('DATABASE', `PostgreSQL at ${target} rejected the login: ${err.message}`, {
        hint: 'check the user and password in the database URL',
      });
    case '3D000':
      return new PgshiftError('DATABASE', `database does not exist at ${target}: ${err.message}`, {
        hint: 'create it first (createdb), or fix the database name in the URL',
      });
    default:
      return new PgshiftError('DATABASE', `cannot connect to PostgreSQL at ${target}: ${err.message ?? String(error)}`, {
        hint: 'check the database URL (postgres://user:password@host:5432/dbname)',
      });
  }
}

export async function connect(url: string, applicationName = 'pgshift'): Promise<Client> {
  const { config } = parseDatabaseUrl(url);
  // The parsed config, not the string: pg would parse it again, and this way what was checked is what connects.
  // URL parameters (an application_name in the query) win, as they would in pg.
  const client = new (pgModule().Client)({ application_name: applicationName, connectionTimeoutMillis: 10_000, ...(config as ClientConfig) });
  // An idle-connection error after connect must not crash the process with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw connectionError(url, error);
  }
  return client;
}
