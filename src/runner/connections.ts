/**
 * The run's connections: the work connection, which also holds the migration lock — so no statement of
 * the run can outlive the lock: after a SIGKILL the server session keeps the lock until it ends — and one
 * opened lazily to watch progress and to cancel. Closing them is idempotent and never throws.
 */
import type { Client } from 'pg';
import { connect } from '../db/connect';
import { detectTransactionPooling, poolerRefusal } from './pooler';

/** application_name of the session that holds the lock and does the work: the next run looks for it. */
export const RUN_APPLICATION_NAME = 'pgshift-migrate';
/**
 * How often the server checks, while a statement runs, that the runner is still there (PG 14+): a killed
 * runner's statement is cancelled within this, instead of running on for minutes nobody watches.
 */
export const CLIENT_CHECK_INTERVAL = '1s';

export interface RunConnections {
  /** Holds the migration lock and runs every file. */
  readonly work: Client;
  readonly workPid: number;
  /** The progress connection, opened on first use. */
  poll(): Promise<Client>;
  /** True once the work connection has ended: the advisory lock is gone with it. */
  lost(): boolean;
  /** Cancels the work connection's running statement (from the progress connection). */
  cancelWork(): Promise<void>;
  close(): Promise<void>;
}

export async function openRunConnections(url: string): Promise<RunConnections> {
  const work = await connect(url, RUN_APPLICATION_NAME);
  let lost = false;
  work.on('end', () => { lost = true; });
  let poll: Promise<Client> | null = null;
  let closed = false;
  const pollClient = () => {
    if (closed) return Promise.reject(new Error('run finished'));
    poll ??= connect(url, `${RUN_APPLICATION_NAME} (progress)`);
    return poll;
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    const client = poll ? await poll.catch(() => null) : null;
    await Promise.all([work.end(), client?.end()].map((p) => Promise.resolve(p).catch(() => undefined)));
  };
  try {
    const pooled = await detectTransactionPooling(work, () => connect(url, `${RUN_APPLICATION_NAME} (pooler check)`));
    if (pooled) throw poolerRefusal(pooled);
    const { rows } = await work.query<{ pid: number; num: string }>("SELECT pg_backend_pid() AS pid, current_setting('server_version_num') AS num");
    if (Number(rows[0]!.num) >= 140000) await work.query('SELECT set_config($1, $2, false)', ['client_connection_check_interval', CLIENT_CHECK_INTERVAL]);
    const workPid = rows[0]!.pid;
    return {
      work,
      workPid,
      poll: pollClient,
      lost: () => lost,
      async cancelWork() {
        const client = await pollClient();
        await client.query('SELECT pg_cancel_backend($1)', [workPid]);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
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
