/**
 * The database the entities are compared with: the live one named by --database-url/DATABASE_URL
 * (live.ts), or a shadow onto which the migrations folder is replayed (shadow.ts). Both hand the pipeline
 * one open client and a close(); the pipeline never knows which servers stand behind it.
 */
import type { Client } from 'pg';

export interface Target {
  readonly mode: 'live' | 'shadow';
  /** Which shadow: the embedded server, or a database on the --shadow-url server. */
  readonly shadow?: 'embedded' | 'url';
  readonly client: Client;
  /** The embedded shadow's replay was a clean one (replay-cache.ts): the state read from it may be cached. */
  readonly cleanReplay?: boolean;
  close(): Promise<void>;
}
