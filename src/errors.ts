/**
 * One error class for everything a user can cause. The CLI prints `message` and `hint` (never a stack)
 * and exits with `exitCode`. Anything that is not a PgshiftError is a bug and is printed with its stack.
 */
export type ErrorCode =
  | 'CONFIG'          // ormconfig missing, not a DataSource, not postgres
  | 'ENTITY'          // TypeORM rejected an entity
  | 'DATABASE'        // unreachable, auth failed, wrong database
  | 'REPLAY'          // a migration file failed on the shadow database
  | 'MIGRATIONS_DIR'  // bad folder content (duplicate versions, unreadable)
  | 'BEHIND'          // live database is behind the migrations folder
  | 'DIRTY'           // schema_migrations is dirty
  | 'EDITED'          // an applied migration was edited or is missing
  | 'DECISION'        // the plan needs a decision (exit 3)
  | 'REFUSED'         // refused by a guard (production, remote host)
  | 'USAGE'           // bad flag value
  | 'MIGRATION_FAILED'
  | 'INTERNAL';

export const EXIT = { ok: 0, error: 1, differences: 2, decision: 3 } as const;

export class PgshiftError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PgshiftError';
    this.code = code;
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
    this.exitCode = options.exitCode ?? (code === 'DECISION' ? EXIT.decision : EXIT.error);
  }
}

/** Replaces the password of every `scheme://user:password@host` URL in a text with `***`. */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)@/gi, '$1***@')
    .replace(/(password=)([^\s&]+)/gi, '$1***');
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}
