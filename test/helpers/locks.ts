/**
 * Lock state read from the server instead of guessed from the clock: "a writer does not wait" is a
 * fact in pg_locks (its backend has no ungranted lock), where "it took < 200 ms" depends on the load
 * of the machine. Also the waits other tests coordinate on ("the runner is now blocked on the lock").
 */
import type { Client } from 'pg';

export async function backendPid(client: Client): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

export interface Watched {
  /** False when the statement was seen waiting for a table lock and left running (the caller ends it). */
  readonly finished: boolean;
  /** The kinds of lock (pg_locks.locktype) the backend was seen waiting for, e.g. `transactionid`. */
  readonly waitedFor: readonly string[];
}

/**
 * Runs `fn` (queries on `watched`) and polls pg_locks from `observer` until it finishes, recording every
 * lock the watched backend waits for. A wait for a table lock (`relation`) returns at once, unfinished:
 * that is the failure the callers look for, and waiting it out could take as long as the lock is held.
 */
export async function watchLocks(observer: Client, watched: Client, fn: () => Promise<unknown>): Promise<Watched> {
  const pid = await backendPid(watched);
  const waits = new Set<string>();
  let finished = false;
  let failure: unknown;
  const run = fn().then(() => { finished = true; }, (error: unknown) => { failure = error; finished = true; });
  while (!finished) {
    const { rows } = await observer.query<{ locktype: string }>('SELECT locktype FROM pg_locks WHERE pid = $1 AND NOT granted', [pid]);
    for (const row of rows) waits.add(row.locktype);
    if (waits.has('relation')) return { finished: false, waitedFor: [...waits].sort() };
    await new Promise((r) => setTimeout(r, 5));
  }
  await run;
  if (failure) throw failure;
  return { finished: true, waitedFor: [...waits].sort() };
}

/** Polls until a backend of this database (running a statement that starts with `prefix`) waits for a lock. */
export async function waitUntilBlocked(observer: Client, prefix = '', ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND left(query, length($1)) = $1`,
      [prefix],
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no backend waited for a lock running ${prefix}… within ${ms} ms`);
}

/** Polls until a backend of this database is running a statement that starts with `prefix`. */
export async function waitUntilRunning(observer: Client, prefix: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND left(query, length($1)) = $1`,
      [prefix],
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no backend ran ${prefix}… within ${ms} ms`);
}
