/**
 * The real PostgreSQL parser (libpg-query, WASM: no native build), loaded once on first use (40–150 ms),
 * and what the checks of spliced SQL text share: finding node types in a parse tree and the comments
 * the scanner sees.
 */
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

/**
 * A `--` comment that runs to the end of the text: pgshift writes `;` right after a statement, and the
 * comment would swallow it (and join the next statement to this one).
 */
export function trailingLineComment(parser: Parser, text: string): string | null {
  const tokens = tokensOf(parser, text.replace(/[\s;]+$/, ''));
  const last = tokens[tokens.length - 1];
  return last && last.tokenName === 'SQL_COMMENT' ? last.text : null;
}
