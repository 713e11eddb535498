/**
 * The migration lock: golang-migrate's advisory lock id(s), held for the whole run by the session that
 * runs the files (so it lasts exactly as long as their work).
 *
 * Waiting uses pg_try_advisory_lock in a loop, not a blocking pg_advisory_lock: a backend blocked in
 * pg_advisory_lock holds a snapshot for as long as it waits, and CREATE INDEX CONCURRENTLY waits for
 * every older snapshot to go away — so a second migrator blocked on the lock would stall the first
 * one's index build for good (or, on one backend, trip the deadlock detector and fail it; seen on PG 15).
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { sleep } from './backoff';
import type { RunnerListener } from './events';

export interface HeldLock {
  release(): Promise<void>;
}

async function tryLock(client: Client, id: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [id]);
  return rows[0]!.locked;
}

async function unlock(client: Client, id: number): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1)', [id]);
}

/**
 * Who holds one of the ids (an advisory lock on a bigint < 2^32 shows as classid 0, objid = id, objsubid 1),
 * and what that session is running: a pgshift run's statement (application_name pgshift-migrate) shows
 * here, also when the runner that sent it was killed and the server has not noticed yet.
 */
export async function describeLockHolder(client: Client, ids: readonly number[]): Promise<string | null> {
  const { rows } = await client.query<{ pid: number; application_name: string; client_addr: string | null; state: string | null; query: string | null; seconds: number | null }>(
    `SELECT l.pid, a.application_name, a.client_addr::text AS client_addr, a.state,
            left(regexp_replace(a.query, '\\s+', ' ', 'g'), 80) AS query,
            floor(extract(epoch FROM now() - a.query_start))::int AS seconds
       FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = 0 AND l.objsubid = 1 AND l.objid::bigint = ANY($1::bigint[])
      LIMIT 1`,
    [ids],
  );
  const row = rows[0];
  if (!row) return null;
  const who = `pid ${row.pid}${row.application_name ? ` (${row.application_name})` : ''}${row.client_addr ? ` from ${row.client_addr}` : ''}`;
  const running = row.state === 'active' && row.query ? `, running \`${row.query}\` for ${row.seconds ?? 0}s` : '';
  return `${who}${running}`;
}

export async function acquireMigrationLock(
  client: Client,
  ids: readonly number[],
  options: { pollMs: number; emit: RunnerListener; signal?: AbortSignal | undefined },
): Promise<HeldLock> {
  let reported = false;
  for (;;) {
    const held: number[] = [];
    for (const id of ids) {
      if (!(await tryLock(client, id))) break;
      held.push(id);
    }
    if (held.length === ids.length) {
      if (reported) options.emit({ kind: 'locked' });
      return { release: async () => { for (const id of [...held].reverse()) await unlock(client, id); } };
    }
    // Never keep half of the ids while waiting: that is how two waiters deadlock.
    for (const id of held.reverse()) await unlock(client, id);
    if (!reported) {
      const holder = await describeLockHolder(client, ids);
      options.emit({ kind: 'waiting-for-lock', holder: holder ?? 'another session' });
      reported = true;
    }
    await sleep(options.pollMs, options.signal);
    if (options.signal?.aborted) throw new PgshiftError('MIGRATION_FAILED', 'stopped while waiting for the migration lock; nothing was run');
  }
}
