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
  | 'DATA_CHECK'      // rows that would make a step fail or lose data (counted before it runs)
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
    this.hint = options.hint === undefined ? undefined : redactKnownSecrets(options.hint);
    this.exitCode = options.exitCode ?? (code === 'DECISION' ? EXIT.decision : EXIT.error);
  }
}

/**
 * Passwords seen in database URLs this process parsed (src/db/connection-url.ts). Every error and every
 * line pgshift prints goes through `redactSecrets`, so none of them can ever reach the terminal, whatever
 * message (ours, pg's, the server's) they end up in.
 */
const secrets = new Set<string>();

/** Shorter ones would blank out ordinary words; the URL parts that hold them are never printed anyway. */
const MIN_SECRET_LENGTH = 3;

export function rememberSecret(secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
}

/**
 * Hides every known password, every `scheme://…@` userinfo (up to the last `@` of the URL, since a
 * password may hold `@`, `/` or `#`) and every `password=…` of a text.
 */
export function redactSecrets(text: string): string {
  return redactKnownSecrets(text)
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/gi, '$1***@')
    .replace(/(password=)([^\s&]+)/gi, '$1***');
}

/** Hides only the known passwords: for texts we wrote ourselves (hints, plan output) that show example URLs. */
export function redactKnownSecrets(text: string): string {
  let result = text;
  // Longest first, so a password that contains another one is hidden whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
  return result;
}
