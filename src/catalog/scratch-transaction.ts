/**
 * Runs catalog statements in a transaction that is always rolled back, with `search_path = public` set for
 * its duration only, in ONE round trip: the statements travel as a single multi-statement simple query.
 *
 * Why roll back: introspection must not leave a trace, and cooking creates temporary objects that must
 * vanish. Why `search_path = public`: pg_get_expr and format_type qualify a name unless it is visible on
 * the search path, so the printed form must not depend on the caller's setting.
 *
 * If the caller's connection is already inside a transaction, a savepoint takes the place of BEGIN and
 * ROLLBACK TO SAVEPOINT undoes the SET LOCAL too: the caller's transaction and settings are untouched.
 */
import type { ClientBase, QueryResult } from 'pg';
import { PgshiftError } from '../errors';

const SAVEPOINT = 'pgshift_catalog';
const IN_FAILED_TRANSACTION = '25P02';

function abortedTransactionError(cause?: unknown): PgshiftError {
  return new PgshiftError('DATABASE', 'cannot read the catalog: the connection is inside a failed transaction', {
    hint: 'roll the transaction back before calling pgshift',
    cause,
  });
}

export interface ScratchOptions {
  /** BEGIN READ ONLY (ignored inside a caller's transaction, where only a savepoint is possible). */
  readonly readOnly?: boolean;
}

/** Executes `statements` (no trailing semicolons) and returns one result per statement, in order. */
export async function runInScratchTransaction(
  client: ClientBase,
  statements: readonly string[],
  options: ScratchOptions = {},
): Promise<QueryResult[]> {
  const status = client.getTransactionStatus();
  if (status === 'E') throw abortedTransactionError();
  const nested = status === 'T';
  const open = nested ? `SAVEPOINT ${SAVEPOINT}` : options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN';
  const close = nested ? [`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`, `RELEASE SAVEPOINT ${SAVEPOINT}`] : ['ROLLBACK'];
  const text = [open, 'SET LOCAL search_path = public', ...statements, ...close].join(';\n');
  let results: QueryResult[];
  try {
    const result = (await client.query(text)) as unknown as QueryResult | QueryResult[];
    results = Array.isArray(result) ? result : [result];
  } catch (error) {
    // A failed statement skips the rest of the query string, the ROLLBACK included.
    await client.query(close.join(';\n')).catch(() => undefined);
    // pg settles a failed query before the server's ReadyForQuery updates the status, so a caller's
    // aborted transaction can look alive above: the server's answer is the same error.
    if ((error as { code?: string }).code === IN_FAILED_TRANSACTION) throw abortedTransactionError(error);
    throw error;
  }
  // Drop the results of the wrapper statements so indexes match `statements`.
  return results.slice(2, 2 + statements.length);
}

/** `SELECT set_config(name, value, true)`: a transaction-local setting carrying a query's input. */
export function setLocalStatement(client: ClientBase, name: string, value: string): string {
  // escapeLiteral writes E'…' when the text has backslashes, so it is right whatever
  // standard_conforming_strings is (the whole string is parsed before any SET in it runs).
  return `SELECT set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`;
}
