/**
 * Refusing a transaction-mode connection pooler (PgBouncer `pool_mode = transaction`, RDS Proxy, …): it
 * hands each transaction of one client connection to whichever server session is free, so the session
 * advisory lock protects nothing and a non-transactional step may run on a session that never held it.
 *
 * Detection: read pg_backend_pid(), then have a second connection open a transaction (a pooler gives it
 * the server session the first connection just released), then read pg_backend_pid() again. On a direct
 * connection (or a session-mode pool) both reads give the same pid and the probe another one.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';

export interface PoolerEvidence {
  readonly firstPid: number;
  readonly secondPid: number | null;
  readonly probePid: number | null;
  readonly error: string | null;
}

async function backendPid(client: Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]!.pid;
}

/** Null on a direct connection; the evidence otherwise. */
export async function detectTransactionPooling(work: Client, openProbe: () => Promise<Client>): Promise<PoolerEvidence | null> {
  const firstPid = await backendPid(work);
  const probe = await openProbe();
  try {
    let probePid: number | null = null;
    try {
      await probe.query('BEGIN');
      probePid = await backendPid(probe);
    } catch (error) {
      // A statement-mode pool refuses BEGIN outright.
      return { firstPid, secondPid: null, probePid: null, error: (error as Error).message };
    }
    const secondPid = await backendPid(work);
    await probe.query('ROLLBACK').catch(() => undefined);
    return secondPid !== firstPid || probePid === firstPid ? { firstPid, secondPid, probePid, error: null } : null;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

export function poolerRefusal(evidence: PoolerEvidence): PgshiftError {
  const seen = evidence.error
    ? `a second connection could not open a transaction (${evidence.error})`
    : evidence.secondPid !== evidence.firstPid
      ? `the server session changed between two transactions of one connection (backend pid ${evidence.firstPid}, then ${evidence.secondPid})`
      : `a second connection was handed the same server session (backend pid ${evidence.firstPid})`;
  return new PgshiftError('REFUSED', `the database URL points at a connection pooler in transaction or statement mode: ${seen}`, {
    hint:
      'the migration lock and the steps that run outside a transaction need one server session for the whole run; ' +
      'point --database-url at PostgreSQL directly (or at a session-mode pool) for pgshift up/down/goto/force',
  });
}
