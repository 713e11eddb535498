/**
 * Databases for the benchmarks: created on an admin connection (the machine's PG 15 by default, or any
 * server given by URL), optionally as a copy of a template so each run starts from the same seeded data.
 */
import { Client } from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The same server, another database. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The same database through another port (the round-trip counting proxy listens on one). */
export function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates `name` (dropping any leftover of an interrupted run first) and returns its URL. `fileCopy` copies
 * the template's files at once instead of WAL-logging every block: much faster for a seeded million-row
 * template, but it forces a checkpoint, which costs more than it saves for a small one (PG 15+).
 */
export async function createDatabase(adminUrl: string, name: string, template?: string, fileCopy = false): Promise<string> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    const from = template ? ` TEMPLATE ${quoteIdent(template)}${fileCopy ? ' STRATEGY FILE_COPY' : ''}` : '';
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${from}`);
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0]?.v ?? 'unknown';
  });
}
