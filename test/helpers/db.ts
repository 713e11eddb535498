/**
 * A fresh database per test on the run's server (see test/global-setup.ts). Never a mock.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs SQL on a short-lived connection and returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A new connected client; the caller ends it. */
  connect(): Promise<Client>;
  drop(): Promise<void>;
}

/** The run's server, or the one of `major` (test/global-setup.ts starts a 15 and an 18). */
export function adminUrl(major?: number): string {
  if (major === undefined) return inject('pgAdminUrl');
  const url = inject('pgServers')[major];
  if (!url) throw new Error(`no PostgreSQL ${major} server in this test run (have ${Object.keys(inject('pgServers')).join(', ')})`);
  return url;
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `fn` on a connection of its own to `base`, ended afterwards. */
export async function withAdmin<T>(base: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database on the run's server, or on the server of `options.major`; a copy of the database
 * `options.template` there when given (nobody may be connected to it meanwhile). On a run's server with
 * a test tablespace (test/helpers/ram-disk.ts), in that tablespace.
 */
export async function createTestDatabase(prefix = 'pgshift_test', options: { major?: number; template?: string } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const base = adminUrl(options.major);
  const tablespace = base === inject('pgAdminUrl') ? inject('pgTestTablespace') : null;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ''}${tablespace ? ` TABLESPACE "${tablespace}"` : ''}`));
  const url = databaseUrl(base, name);
  const connect = async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  };
  return {
    name,
    url,
    connect,
    async query(sql, params) {
      const client = await connect();
      try {
        return (await client.query(sql, params as unknown[])).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
