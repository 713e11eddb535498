/**
 * Running a sync's statements: all of them in one transaction, so a failure (a foreign key that existing
 * rows violate, a unique index over duplicates) leaves the database exactly as it was.
 *
 * One exception: new enum labels are committed first, in a transaction of their own, when anything else
 * is applied too — Postgres refuses to use a label in the transaction that added it ("unsafe use of new
 * value"), and a new column defaulting to the new label is the usual reason for adding one. Adding a
 * label is itself purely additive, so keeping it when the rest rolls back loses nothing.
 */
import type { ClientBase } from 'pg';
import { PgshiftError } from '../errors';
import { describeChange } from '../planner/describe';
import { literal } from '../sql/quote';
import type { Change } from '../diff/change';

interface PgError {
  readonly code?: string;
  readonly message?: string;
  readonly detail?: string;
}

/** A change sync applies, with its SQL. */
export interface AppliedChange {
  readonly change: Change;
  /** The SQL run (or, for a dry run, that would run), without trailing semicolons. */
  readonly sql: readonly string[];
}

function hintFor(error: PgError): string {
  switch (error.code) {
    case '23503': return 'existing rows violate the foreign key: fix or delete them (the detail above names one), then sync again';
    case '23505': return 'existing rows hold duplicates: remove them, then sync again';
    case '23514': return 'existing rows violate the check: fix them, then sync again';
    case '23502': return 'existing rows hold NULL in that column: fill them, then sync again';
    case '55P03': return 'another session holds a lock on the table (your app, or an open transaction in a SQL console?): end it and sync again';
    default: return 'fix the cause, then sync again; `pgshift gen diff` writes a reviewable migration instead';
  }
}

async function runBatch(client: ClientBase, batch: readonly AppliedChange[], lockTimeout: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = ${literal(lockTimeout)}`);
    for (const item of batch) {
      for (const sql of item.sql) {
        try {
          await client.query(sql);
        } catch (error) {
          const pg = error as PgError;
          const detail = pg.detail ? ` (${pg.detail})` : '';
          throw new PgshiftError('MIGRATION_FAILED', `sync failed at "${describeChange(item.change)}": ${pg.message ?? String(error)}${detail}; rolled back, nothing of this sync was applied`, {
            hint: hintFor(pg),
            cause: error,
          });
        }
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function applyInTransaction(client: ClientBase, applied: readonly AppliedChange[], lockTimeout: string): Promise<void> {
  const labels = applied.filter((a) => a.change.kind === 'AddEnumValue');
  const rest = applied.filter((a) => a.change.kind !== 'AddEnumValue');
  if (labels.length > 0 && rest.length > 0) {
    await runBatch(client, labels, lockTimeout);
    try {
      await runBatch(client, rest, lockTimeout);
    } catch (error) {
      if (error instanceof PgshiftError) {
        throw new PgshiftError(error.code, error.message.replace('nothing of this sync was applied', 'only the new enum labels were kept'), { hint: error.hint, cause: error.cause });
      }
      throw error;
    }
    return;
  }
  await runBatch(client, applied, lockTimeout);
}
