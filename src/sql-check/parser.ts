/**
 * The real PostgreSQL parser (libpg-query, WASM: no native build), loaded once on first use (40–150 ms),
 * and what the checks of spliced SQL text share: finding node types in a parse tree and the comments
 * the scanner sees.
 */
import type { ParseResult } from 'libpg-query';

export type Parser = typeof import('libpg-query');

/** Why a piece of SQL text cannot be spliced as intended, or null when it can. */
export interface TextChecker {
  problemOf(text: string): string | null;
}

let loading: Promise<Parser> | undefined;

export function loadParser(): Promise<Parser> {
  loading ??= (async () => {
    const parser = await import('libpg-query');
    await parser.loadModule();
    return parser;
  })();
  return loading;
}

/** The node type names anywhere under `value` (parse trees are plain JSON). */
export function containsNode(value: unknown, names: ReadonlySet<string>): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = containsNode(item, names);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (names.has(key)) return key;
    const found = containsNode(child, names);
    if (found) return found;
  }
  return null;
}

export const DATA_MODIFYING: ReadonlySet<string> = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** The parser's error message on one line. */
export function oneLine(message: string): string {
  return message.trim().replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/**
 * The scanner's tokens of `text`. (libpg-query's scan result is JSON that breaks on raw control
 * characters other than \t \n \r; one space for each keeps every token's extent, and only line feeds
 * and carriage returns end a `--` comment.)
 */
function tokensOf(parser: Parser, text: string) {
  return parser.scanSync(text.replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')).tokens;
}

const isComment = (t: { tokenName: string }) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT';

/** The first comment in `text` (its first line), or null. */
export function firstComment(parser: Parser, text: string): string | null {
  const comment = tokensOf(parser, text).find(isComment);
  return comment ? comment.text.split('\n')[0]! : null;
}

/** A comment anywhere in `text`, as a problem: it could swallow what pgshift writes after the text. */
export function commentProblem(parser: Parser, text: string): string | null {
  const comment = firstComment(parser, text);
  return comment ? `it holds a comment (${comment}), which could swallow the SQL after it` : null;
}

/**
 * A `--` comment that runs to the end of the text: pgshift writes `;` right after a statement, and the
 * comment would swallow it (and join the next statement to this one).
 */
export function trailingLineComment(parser: Parser, text: string): string | null {
  const tokens = tokensOf(parser, text.replace(/[\s;]+$/, ''));
  const last = tokens[tokens.length - 1];
  return last && last.tokenName === 'SQL_COMMENT' ? last.text : null;
}

/** How one kind of spliced text is checked: the statement it is parsed in, and what that must be. */
export interface ParsedShape {
  /** The text as pgshift would use it: the statement the parser reads. */
  wrap(text: string): string;
  /** The parser's error message, cleaned of the wrapper (default: on one line). */
  message?(error: string): string;
  /** What is wrong with the parse tree, or null. */
  shape(result: ParseResult): string | null;
  /** What else the text must pass once the tree is right (the scanner's comments, another wrapper), or null. */
  tokens(parser: Parser, text: string): string | null;
  /** Text that holds nothing (default: only white space). */
  isEmpty?(text: string): boolean;
}

/** The checker of one shape: empty text, a NUL, the parser's error, the tree, then the tokens. */
export function parsedChecker(parser: Parser, check: ParsedShape): TextChecker {
  return {
    problemOf(text: string): string | null {
      if (check.isEmpty ? check.isEmpty(text) : text.trim() === '') return 'it is empty';
      // The parser would stop reading at a NUL.
      if (text.includes('\u0000')) return 'it holds a NUL character';
      let result: ParseResult;
      try {
        result = parser.parseSync(check.wrap(text));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return check.message ? check.message(message) : oneLine(message);
      }
      return check.shape(result) ?? check.tokens(parser, text);
    },
  };
}

/** The statement kinds `sql` parses to, or null when it does not parse. */
export function statementKinds(parser: Parser, sql: string): string[] | null {
  try {
    return (parser.parseSync(sql).stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0] ?? '');
  } catch {
    return null;
  }
}
