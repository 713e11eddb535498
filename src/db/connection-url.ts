/**
 * A database URL, parsed once by `pg-connection-string` — the parser `pg` itself uses, so what pgshift
 * checks and prints is what `pg` connects to. Only PostgreSQL URLs pass, and every form of the URL that
 * reaches a terminal has its password replaced.
 */
import { parse, type ConnectionOptions } from 'pg-connection-string';
import { PgshiftError, rememberSecret } from '../errors';

export interface DatabaseUrl {
  /** What `pg`'s Client takes (the same object `pg` would build from the string). */
  readonly config: ConnectionOptions;
  /** `host:port/dbname` for messages; never the password. */
  readonly target: string;
  /** The URL with its password replaced, for messages that show the whole URL. */
  readonly display: string;
}

/** Schemes `pg` reads as PostgreSQL (`socket:` is its unix-socket form; a bare `/path` is another). */
const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:', 'socket:']);
const EXAMPLE = 'postgres://user:password@host:5432/dbname';

/**
 * A URL that could not be parsed, safe to print: everything between `://` and the last `@` is hidden
 * (where a password that holds `@`, `/` or `#` might end cannot be known).
 */
export function redactUnparsedUrl(raw: string): string {
  const start = raw.indexOf('://');
  const at = raw.lastIndexOf('@');
  if (start < 0) return at < 0 ? raw : `***${raw.slice(at)}`;
  if (at < start) return raw;
  return `${raw.slice(0, start + 3)}***${raw.slice(at)}`;
}

function invalid(raw: string, why: string, hint: string): PgshiftError {
  return new PgshiftError('USAGE', `invalid database URL ${redactUnparsedUrl(raw)}: ${why}`, { hint });
}

/** The scheme, lower-cased (`postgres:`), or null for a bare socket path. */
function schemeOf(raw: string): string | null {
  if (raw.startsWith('/')) return null;
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(raw);
  if (!match) throw invalid(raw, 'it does not start with postgres://', `expected ${EXAMPLE}`);
  return `${match[1]!.toLowerCase()}:`;
}

/**
 * An `@` after the host means a password (or user) with an unencoded `/`, `?` or `#` in it: the URL
 * parser would end the host there and read the rest of the password as a database name or query.
 */
function rejectAmbiguousAt(raw: string): void {
  const authorityStart = raw.indexOf('//');
  if (authorityStart < 0) return;
  const rest = raw.slice(authorityStart + 2);
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd >= 0 && rest.slice(authorityEnd).includes('@')) {
    throw invalid(raw, 'it has an "@" after the host', 'percent-encode the password\'s special characters (encodeURIComponent): @ → %40, / → %2F, ? → %3F, # → %23, % → %25');
  }
}

function hostForDisplay(host: string | null | undefined): string {
  if (!host) return '';
  if (host.startsWith('/')) return encodeURIComponent(host);
  return host.includes(':') ? `[${host}]` : host;
}

function describe(config: ConnectionOptions): { target: string; display: string } {
  const host = config.host || 'localhost';
  const port = config.port || '5432';
  const database = config.database || '';
  const target = `${host}:${port}/${database || '(default database)'}`;
  const user = config.user ? encodeURIComponent(config.user) : '';
  const credentials = user || config.password ? `${user}${config.password ? ':***' : ''}@` : '';
  const display = `postgres://${credentials}${hostForDisplay(config.host)}${config.port ? `:${config.port}` : ''}/${encodeURIComponent(database)}`;
  return { target, display };
}

const parsed = new Map<string, DatabaseUrl>();

/** Parses and checks a database URL; throws a PgshiftError (printable) when it is not a PostgreSQL URL. */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const known = parsed.get(raw);
  if (known) return known;
  try {
    const result = parseOnce(raw);
    parsed.set(raw, result);
    return result;
  } catch (error) {
    // Whatever prints next, the part that may hold a password never reaches the terminal.
    rememberUrlSecrets(raw);
    throw error;
  }
}

function parseOnce(raw: string): DatabaseUrl {
  const scheme = schemeOf(raw);
  if (scheme !== null && !POSTGRES_SCHEMES.has(scheme)) {
    throw invalid(raw, `${scheme} is not a PostgreSQL URL`, `pgshift works with PostgreSQL only: ${EXAMPLE}`);
  }
  if (scheme !== 'socket:') rejectAmbiguousAt(raw);
  let config: ConnectionOptions;
  try {
    config = parse(raw);
  } catch (error) {
    throw invalid(raw, (error as Error).message, `expected ${EXAMPLE}; percent-encode special characters in the password (@ → %40, / → %2F, # → %23)`);
  }
  // A password that is also the user or database name is printed as that anyway (and servers echo them).
  if (config.password && config.password !== config.user && config.password !== config.database) rememberSecret(config.password);
  return { config, ...describe(config) };
}

/** Registers what may be a password in a raw URL (the userinfo and its part after the first `:`). */
function rememberUrlSecrets(raw: string): void {
  const start = raw.indexOf('://');
  const at = raw.lastIndexOf('@');
  if (start < 0 || at < start) return;
  const userinfo = raw.slice(start + 3, at);
  const colon = userinfo.indexOf(':');
  if (colon >= 0) {
    const password = userinfo.slice(colon + 1);
    rememberSecret(password);
    try { rememberSecret(decodeURIComponent(password)); } catch { /* not percent-encoded */ }
  }
}
