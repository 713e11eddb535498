/**
 * A migration file's statements, and whether the file can run as golang-migrate runs it: the whole
 * text as one simple query, i.e. one implicit transaction. Some statements refuse to run inside a
 * transaction block; such a statement must be the file's only one, and the file then runs outside any
 * transaction. (`ALTER TYPE … ADD VALUE` is not one of them since PG 12: it runs in a transaction, and
 * only the new label's *use* must wait for the commit — pgshift puts it in a file of its own for that.)
 */
import { identifierValue, tokenize, type Token } from './sql-lexer';

export interface SqlStatement {
  /** Tokens without comments; the last one is the `;` when there is one. */
  readonly tokens: readonly Token[];
  readonly text: string;
}

/** What a statement needs from the runner. */
export type StatementKind =
  | { readonly kind: 'ordinary' }
  | { readonly kind: 'create-index-concurrently'; readonly index: string | null; readonly table: string | null }
  | { readonly kind: 'non-transactional'; readonly what: string };

export interface MigrationSqlAnalysis {
  readonly statements: readonly SqlStatement[];
  /** False when the file must run outside a transaction (one statement, sent alone). */
  readonly transactional: boolean;
  /** Why the file is non-transactional: the statement kind, or the header directive. */
  readonly nonTransactionalReason: string | null;
  /** The lone statement's kind when non-transactional. */
  readonly statementKind: StatementKind;
  /** Set when the file cannot run safely as written. */
  readonly problem: string | null;
  /**
   * The file has its own BEGIN/COMMIT/ROLLBACK: the runner cannot put its version write inside the file's
   * transaction, so such a file is bracketed by a dirty flag as golang-migrate does.
   */
  readonly controlsTransactions: boolean;
}

export const NO_TRANSACTION_DIRECTIVE = 'pgshift:no-transaction';

export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  // `BEGIN ATOMIC … END` (SQL-standard function bodies) holds `;`s that do not end the statement;
  // inside it, CASE … END nests too.
  let atomicDepth = 0;
  const flush = (endToken: Token | null) => {
    if (current.length > 0) {
      const first = current[0]!;
      const end = endToken ? endToken.start + 1 : current[current.length - 1]!.start + current[current.length - 1]!.text.length;
      statements.push({ tokens: current, text: sql.slice(first.start, end) });
    }
    current = [];
  };
  for (const token of tokenize(sql)) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'word') {
      const previous = current[current.length - 1];
      if (token.value === 'ATOMIC' && previous?.kind === 'word' && previous.value === 'BEGIN') atomicDepth++;
      else if (atomicDepth > 0 && token.value === 'CASE') atomicDepth++;
      else if (atomicDepth > 0 && token.value === 'END') atomicDepth--;
    }
    if (token.kind === 'semicolon') {
      if (atomicDepth > 0) { current.push(token); continue; }
      if (current.length > 0) current.push(token);
      flush(token);
      continue;
    }
    current.push(token);
  }
  flush(null);
  return statements;
}

/** The comments of the file carry the `-- pgshift:no-transaction` directive. */
export function hasNoTransactionDirective(sql: string): boolean {
  return tokenize(sql).some((t) => t.kind === 'comment' && new RegExp(`^--\\s*${NO_TRANSACTION_DIRECTIVE}\\s*$`).test(t.text.trim()));
}

const words = (tokens: readonly Token[]) => tokens.map((t) => (t.kind === 'word' ? t.value : t.kind === 'semicolon' ? ';' : `\u0000${t.text}`));

export function classifyStatement(statement: SqlStatement): StatementKind {
  const tokens = statement.tokens;
  const w = words(tokens);
  const at = (i: number, ...expected: string[]) => expected.every((e, k) => w[i + k] === e);

  if (at(0, 'CREATE')) {
    let i = 1;
    if (at(i, 'UNIQUE')) i++;
    if (at(i, 'INDEX', 'CONCURRENTLY')) return createIndexConcurrently(tokens, i + 2);
  }
  if (at(0, 'DROP', 'INDEX', 'CONCURRENTLY')) return { kind: 'non-transactional', what: 'DROP INDEX CONCURRENTLY' };
  if (at(0, 'REINDEX') && w.includes('CONCURRENTLY')) return { kind: 'non-transactional', what: 'REINDEX CONCURRENTLY' };
  if (at(0, 'VACUUM')) return { kind: 'non-transactional', what: 'VACUUM' };
  if (at(0, 'DO') && doBodyCommits(tokens)) return { kind: 'non-transactional', what: 'a DO block that commits' };
  if (at(0, 'CREATE', 'DATABASE') || at(0, 'DROP', 'DATABASE')) return { kind: 'non-transactional', what: `${w[0]} DATABASE` };
  if (at(0, 'ALTER', 'SYSTEM')) return { kind: 'non-transactional', what: 'ALTER SYSTEM' };
  if (at(0, 'CREATE', 'TABLESPACE') || at(0, 'DROP', 'TABLESPACE')) return { kind: 'non-transactional', what: `${w[0]} TABLESPACE` };
  return { kind: 'ordinary' };
}

/** `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] [name] ON [ONLY] table …` */
function createIndexConcurrently(tokens: readonly Token[], from: number): StatementKind {
  let i = from;
  const isWord = (k: number, value: string) => tokens[k]?.kind === 'word' && tokens[k]!.value === value;
  if (isWord(i, 'IF') && isWord(i + 1, 'NOT') && isWord(i + 2, 'EXISTS')) i += 3;
  let index: string | null = null;
  if (!isWord(i, 'ON')) {
    const nameToken = tokens[i];
    if (nameToken && (nameToken.kind === 'word' || nameToken.kind === 'quoted-ident')) index = identifierValue(nameToken);
    i++;
  }
  if (!isWord(i, 'ON')) return { kind: 'create-index-concurrently', index, table: null };
  i++;
  if (isWord(i, 'ONLY')) i++;
  // The table as written (`schema."Table"`), for to_regclass() to resolve exactly as the statement will.
  const parts: string[] = [];
  while (tokens[i] && (tokens[i]!.kind === 'word' || tokens[i]!.kind === 'quoted-ident')) {
    parts.push(tokens[i]!.text);
    if (tokens[i + 1]?.text !== '.') break;
    i += 2;
  }
  return { kind: 'create-index-concurrently', index, table: parts.length > 0 ? parts.join('.') : null };
}

/** A DO body (a string literal, usually `$$…$$`) that contains a COMMIT or ROLLBACK statement. */
function doBodyCommits(tokens: readonly Token[]): boolean {
  const body = tokens.find((t) => t.kind === 'string');
  if (!body) return false;
  return tokenize(body.value).some((t) => t.kind === 'word' && (t.value === 'COMMIT' || t.value === 'ROLLBACK'));
}

/** BEGIN, START TRANSACTION, COMMIT, END, ABORT, ROLLBACK (not `ROLLBACK TO`), PREPARE TRANSACTION. */
export function controlsTransaction(statement: SqlStatement): boolean {
  const w = words(statement.tokens);
  if (['BEGIN', 'START', 'COMMIT', 'END', 'ABORT'].includes(w[0] ?? '')) return true;
  if (w[0] === 'ROLLBACK') return w[1] !== 'TO' && !(w[1] === 'PREPARED');
  return w[0] === 'PREPARE' && w[1] === 'TRANSACTION';
}

export function analyzeMigrationSql(sql: string): MigrationSqlAnalysis {
  const statements = splitStatements(sql);
  const controlsTransactions = statements.some(controlsTransaction);
  const directive = hasNoTransactionDirective(sql);
  const kinds = statements.map(classifyStatement);
  const special = kinds
    .map((kind, index) => ({ kind, index }))
    .filter(({ kind }) => kind.kind !== 'ordinary');
  const describe = (kind: StatementKind) =>
    kind.kind === 'create-index-concurrently' ? 'CREATE INDEX CONCURRENTLY' : kind.kind === 'non-transactional' ? kind.what : 'statement';

  if (special.length === 0 && !directive) {
    return { statements, transactional: true, nonTransactionalReason: null, statementKind: { kind: 'ordinary' }, problem: null, controlsTransactions };
  }
  const reason = special.length > 0 ? describe(special[0]!.kind) : `the -- ${NO_TRANSACTION_DIRECTIVE} header`;
  if (statements.length > 1) {
    const which = special.length > 0 ? `${reason} (statement ${special[0]!.index + 1} of ${statements.length})` : reason;
    return {
      statements,
      transactional: false,
      nonTransactionalReason: reason,
      statementKind: special[0]?.kind ?? { kind: 'ordinary' },
      problem:
        `${which} must run outside a transaction, so it must be the only statement in its file; ` +
        `this file has ${statements.length} statements, which PostgreSQL would run as one transaction`,
      controlsTransactions,
    };
  }
  return {
    statements,
    transactional: false,
    nonTransactionalReason: reason,
    statementKind: kinds[0] ?? { kind: 'ordinary' },
    problem: null,
    controlsTransactions,
  };
}
