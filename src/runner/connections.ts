/**
 * The run's connections: one that holds the migration lock and nothing else, one that does the work,
 * and one opened lazily to watch progress. Closing them is idempotent and never throws.
 */
import type { Client } from 'pg';
import { connect } from '../db/connect';

export interface RunConnections {
  readonly lock: Client;
  readonly work: Client;
  readonly workPid: number;
  /** The progress connection, opened on first use. */
  poll(): Promise<Client>;
  /** True once the lock connection has ended: the advisory lock is gone with it. */
  lockLost(): boolean;
  close(): Promise<void>;
}

export async function openRunConnections(url: string): Promise<RunConnections> {
  const lock = await connect(url, 'pgshift (migration lock)');
  let lost = false;
  lock.on('end', () => { lost = true; });
  let work: Client;
  try {
    work = await connect(url, 'pgshift');
  } catch (error) {
    await lock.end().catch(() => undefined);
    throw error;
  }
  const { rows } = await work.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let poll: Promise<Client> | null = null;
  let closed = false;
  return {
    lock,
    work,
    workPid: rows[0]!.pid,
    poll: () => {
      if (closed) return Promise.reject(new Error('run finished'));
      poll ??= connect(url, 'pgshift (progress)');
      return poll;
    },
    lockLost: () => lost,
    async close() {
      if (closed) return;
      closed = true;
      const pollClient = poll ? await poll.catch(() => null) : null;
      await Promise.all([work.end(), lock.end(), pollClient?.end()].map((p) => Promise.resolve(p).catch(() => undefined)));
    },
  };
}

/** A short-lived connection for read-only commands. */
export async function withConnection<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url, 'pgshift');
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
