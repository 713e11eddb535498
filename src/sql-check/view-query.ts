/**
 * Is an entity's view query exactly one SELECT? pgshift writes it as `CREATE [MATERIALIZED] VIEW … AS
 * <query>` (and cooks it as a temporary view), so text that ends the statement and starts another
 * (`SELECT 1; DROP TABLE users`) must stop the load, not reach a migration. Accepted: one statement that
 * parses as a SELECT (VALUES, UNION and WITH included; a trailing `;` too), without SELECT INTO, a
 * data-modifying WITH, a `$n` parameter, a NUL, or a `--` comment at its end (pgshift's `;` after the
 * statement would be swallowed by it).
 */
import type { ParseResult } from 'libpg-query';
import { containsNode, DATA_MODIFYING, loadParser, parsedChecker, trailingLineComment, type Parser, type TextChecker } from './parser';

const PARAMETER = new Set(['ParamRef']);

/** The query as pgshift writes it (object-change-sql.ts): trimmed, without its trailing `;`. */
const written = (text: string) => text.trim().replace(/;+\s*$/, '');

function shapeProblem(result: ParseResult): string | null {
  const statements = result.stmts ?? [];
  if (statements.length !== 1) return `it holds ${statements.length === 0 ? 'no statement' : 'more than one statement'}`;
  const view = (statements[0]!.stmt as { ViewStmt?: { query?: Record<string, unknown> } } | undefined)?.ViewStmt;
  const query = view?.query ?? {};
  const select = query.SelectStmt as Record<string, unknown> | undefined;
  if (!select) return `it is not a SELECT (it parses as ${Object.keys(query)[0]?.replace(/Stmt$/, '') ?? 'something else'})`;
  if (containsNode(select, new Set(['intoClause']))) return 'it is a SELECT INTO, which creates a table';
  const modifying = containsNode(select, DATA_MODIFYING);
  if (modifying) return `it holds a data-modifying statement (${modifying.replace(/Stmt$/, '').toUpperCase()})`;
  if (containsNode(select, PARAMETER)) return 'it holds a parameter ($n)';
  return null;
}

function trailingCommentProblem(parser: Parser, text: string): string | null {
  const comment = trailingLineComment(parser, text);
  return comment ? `it ends in a comment (${comment}), which would swallow the \`;\` pgshift writes after it` : null;
}

export async function viewQueryChecker(): Promise<TextChecker> {
  return parsedChecker(await loadParser(), {
    // As CREATE VIEW: a `;` before the query, or one that ends it early, leaves more than the view.
    wrap: (text) => `CREATE VIEW pgshift_check AS ${written(text)}`,
    shape: shapeProblem,
    tokens: trailingCommentProblem,
    isEmpty: (text) => written(text) === '',
  });
}
