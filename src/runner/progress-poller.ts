/**
 * Progress of a long file, read from a second connection while the work connection is busy: elapsed
 * time, the phase and blocks of an index build (pg_stat_progress_create_index), and who blocks us when
 * we wait for a lock — the usual reason a deploy "hangs".
 */
import type { Client } from 'pg';
import type { IndexBuildProgress, RunnerListener } from './events';

export interface ProgressSnapshot {
  readonly index: IndexBuildProgress | null;
  readonly blockedBy: string | null;
}

export async function readProgress(client: Client, workPid: number): Promise<ProgressSnapshot> {
  const { rows } = await client.query<{
    phase: string | null; blocks_done: string | null; blocks_total: string | null; tuples_done: string | null;
    tuples_total: string | null; lockers_done: string | null; lockers_total: string | null; blocked_by: string | null;
  }>(
    `SELECT p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total, p.lockers_done, p.lockers_total,
            (SELECT string_agg(format('pid %s (%s: %s)', b.pid, coalesce(nullif(b.application_name, ''), b.usename), left(regexp_replace(b.query, '\\s+', ' ', 'g'), 60)), ', ')
               FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids($1))) AS blocked_by
       FROM (SELECT 1) AS one
       LEFT JOIN pg_stat_progress_create_index p ON p.pid = $1`,
    [workPid],
  );
  const row = rows[0]!;
  const n = (v: string | null) => (v === null ? 0 : Number(v));
  return {
    index: row.phase === null ? null : {
      phase: row.phase,
      blocksDone: n(row.blocks_done), blocksTotal: n(row.blocks_total),
      tuplesDone: n(row.tuples_done), tuplesTotal: n(row.tuples_total),
      lockersDone: n(row.lockers_done), lockersTotal: n(row.lockers_total),
    },
    blockedBy: row.blocked_by,
  };
}

/**
 * Polls every `intervalMs` while `work` runs and emits `progress` events. The poll connection is opened on
 * the first tick only, so short files cost nothing; a failing poll is skipped, never fatal.
 */
export async function withProgress<T>(
  options: { version: number; workPid: number; intervalMs: number; emit: RunnerListener; pollClient: () => Promise<Client> },
  work: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  let inflight: Promise<void> | null = null;
  let lastBlocker: string | null = null;
  const timer = setInterval(() => {
    if (inflight) return;
    inflight = (async () => {
      try {
        const client = await options.pollClient();
        const snapshot = await readProgress(client, options.workPid);
        options.emit({ kind: 'progress', version: options.version, elapsedMs: Date.now() - started, index: snapshot.index });
        if (snapshot.blockedBy && snapshot.blockedBy !== lastBlocker) {
          options.emit({ kind: 'warning', message: `waiting for a lock held by ${snapshot.blockedBy}` });
        }
        lastBlocker = snapshot.blockedBy;
      } catch {
        // Progress is a courtesy: a failed poll must never fail the migration.
      } finally {
        inflight = null;
      }
    })();
  }, options.intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    // No progress event may arrive after the file's `done`.
    await inflight;
  }
}
