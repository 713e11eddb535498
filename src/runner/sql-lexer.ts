/**
 * A small PostgreSQL lexer: just enough to split a migration file into statements and read their
 * leading keywords without being fooled by comments, string literals, quoted identifiers or
 * dollar-quoted bodies. A full parser (libpg-query) would be exact but costs a WASM start-up on every
 * run; statement boundaries and a few keywords are all the runner needs.
 */
export type TokenKind = 'word' | 'quoted-ident' | 'string' | 'number' | 'param' | 'semicolon' | 'punct' | 'comment';

export interface Token {
  readonly kind: TokenKind;
  /** The exact source text. */
  readonly text: string;
  /**
   * The meaning: a word upper-cased (keyword) — use `identifierValue` for its name; a quoted identifier
   * unquoted; a string literal's content (escapes of E'' strings are left as written).
   */
  readonly value: string;
  readonly start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, start });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      push('comment', i, end === -1 ? sql.length : end);
      continue;
    }
    if (ch === '/' && next === '*') { push('comment', i, blockCommentEnd(sql, i)); continue; }
    if (ch === ';') { push('semicolon', i, i + 1); continue; }
    if (ch === "'") { const end = quotedEnd(sql, i, "'", false); push('string', i, end, sql.slice(i + 1, end - 1)); continue; }
    if ((ch === 'E' || ch === 'e') && next === "'") {
      const end = quotedEnd(sql, i + 1, "'", true);
      push('string', i, end, sql.slice(i + 2, end - 1));
      continue;
    }
    if ((ch === 'U' || ch === 'u') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      const quote = sql[i + 2]!;
      const end = quotedEnd(sql, i + 2, quote, false);
      push(quote === "'" ? 'string' : 'quoted-ident', i, end, sql.slice(i + 3, end - 1));
      continue;
    }
    if ((ch === 'B' || ch === 'b' || ch === 'X' || ch === 'x' || ch === 'N' || ch === 'n') && next === "'") {
      const end = quotedEnd(sql, i + 1, "'", false);
      push('string', i, end, sql.slice(i + 2, end - 1));
      continue;
    }
    if (ch === '"') {
      const end = quotedEnd(sql, i, '"', false);
      push('quoted-ident', i, end, sql.slice(i + 1, end - 1).replace(/""/g, '"'));
      continue;
    }
    if (ch === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 200));
      if (tag) {
        const delimiter = tag[0];
        const close = sql.indexOf(delimiter, i + delimiter.length);
        const end = close === -1 ? sql.length : close + delimiter.length;
        push('string', i, end, sql.slice(i + delimiter.length, close === -1 ? sql.length : close));
        continue;
      }
      if (next !== undefined && /[0-9]/.test(next)) {
        let end = i + 1;
        while (end < sql.length && /[0-9]/.test(sql[end]!)) end++;
        push('param', i, end);
        continue;
      }
      push('punct', i, i + 1);
      continue;
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      // `$` inside a word is part of the identifier (a$b$), which is why `$tag$` only starts after a non-word.
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('word', i, end, sql.slice(i, end).toUpperCase());
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
      let end = i + 1;
      while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end]!)) {
        // `1..5` style ranges do not occur in SQL, but `1.e5` does; stop before a second `.` followed by a dot.
        if (sql[end] === '.' && sql[end + 1] === '.') break;
        end++;
      }
      push('number', i, end);
      continue;
    }
    if (OPERATOR_CHARS.includes(ch)) {
      let end = i + 1;
      while (end < sql.length && OPERATOR_CHARS.includes(sql[end]!) && !(sql[end] === '-' && sql[end + 1] === '-') && !(sql[end] === '/' && sql[end + 1] === '*')) end++;
      push('punct', i, end);
      continue;
    }
    push('punct', i, i + 1);
  }
  return tokens;
}

/** Block comments nest in PostgreSQL (unlike C). An unterminated one runs to the end of the text. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; continue; }
    if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  return sql.length;
}

/** End (exclusive) of a literal opened at `open`; a doubled quote is an escaped quote, `\x` too in E'' strings. */
function quotedEnd(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') { i += 2; continue; }
    if (ch === quote) {
      if (sql[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/**
 * The name an identifier token denotes: unquoted words fold to lower case, quoted ones are exact; both are
 * truncated to 63 bytes like the server does (NAMEDATALEN - 1).
 */
export function identifierValue(token: Token): string {
  const name = token.kind === 'word' ? token.text.toLowerCase() : token.value;
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= 63) return name;
  let cut = 63;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--; // never split a UTF-8 sequence
  return bytes.subarray(0, cut).toString('utf8');
}
