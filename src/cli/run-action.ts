/**
 * The CLI edge: the only place that prints errors and picks exit codes. A PgshiftError is a user's
 * problem — one line, a hint, no stack. Anything else is a bug and keeps its stack.
 */
import { PgshiftError, redactSecrets, EXIT } from '../errors';
import { paint } from './output';

export type CommandResult = number | void;

export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<CommandResult>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = (await fn(...args)) ?? EXIT.ok;
    } catch (error) {
      code = reportError(error);
    }
    process.exitCode = code;
  };
}

export function reportError(error: unknown): number {
  if (error instanceof PgshiftError) {
    process.stderr.write(`${paint.red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${paint.dim('hint:')} ${error.hint}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${paint.red('internal error:')} ${redactSecrets(text)}\n`);
  process.stderr.write('This is a bug in pgshift; please report it with the command you ran.\n');
  return EXIT.error;
}
