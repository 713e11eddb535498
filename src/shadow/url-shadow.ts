/**
 * `--shadow-url`: any reachable server as the shadow. pgshift creates a throwaway database there (a
 * random `pgshift_shadow_…` name, so runs never meet), replays into it, and drops it afterwards — also
 * when the replay or the diff fails. The URL's own database is only used to create and drop it.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { connect, describeTarget } from '../db/connect';
import { PgshiftError } from '../errors';
import { ident } from '../sql/quote';

export interface ThrowawayDatabase {
  readonly name: string;
  /** The shadow server's URL with this database in it (TypeORM's runner connects by URL). */
  readonly url: string;
  readonly client: Client;
  drop(): Promise<void>;
}

export const SHADOW_DATABASE_PREFIX = 'pgshift_shadow_';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export async function createThrowawayDatabase(shadowUrl: string): Promise<ThrowawayDatabase> {
  const name = `${SHADOW_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = await connect(shadowUrl, 'pgshift-shadow');
  try {
    await admin.query(`CREATE DATABASE ${ident(name)}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw new PgshiftError('DATABASE', `cannot create a shadow database on ${describeTarget(shadowUrl)}: ${(error as Error).message}`, {
      hint: 'the --shadow-url user needs the CREATEDB privilege (pgshift creates a throwaway database there and drops it afterwards)',
    });
  }
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`).finally(() => admin.end().catch(() => undefined));
  };
  try {
    const url = withDatabase(shadowUrl, name);
    const client = await connect(url, 'pgshift-shadow');
    return { name, url, client, drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
