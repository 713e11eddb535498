/**
 * Is a piece of SQL text exactly one expression? pgshift splices such text into its DDL (a `--backfill`
 * value, an entity's `@Check`, `@Index({ where })`, function default or `asExpression`), so text that
 * closes the surrounding parenthesis, starts a second statement, or comments out what follows must be
 * refused before anything is written. The real PostgreSQL parser (libpg-query, WASM: no native build)
 * decides, on the text wrapped as `SELECT (<text>\n)`: accepted only if that is one SELECT with one
 * unnamed target and no other clause (`1), (2`, `1) FROM t WHERE (1`, `1) UNION SELECT (2`, `1); DROP …`
 * each parse to something else), the text holds no comment, no NUL (the parser would stop reading
 * there), no `$1` parameter and no data-modifying statement (which PostgreSQL only allows at the top
 * level anyway).
 *
 * The parser costs 40–150 ms to load and warm up, so it is loaded on the first call only, and the
 * shapes that cannot be anything but one expression (isPlainExpression: `now()`, `0`, `'text'`,
 * TypeORM's `('now'::text)::date`) are accepted without it: the sample app never loads it.
 */
import type { Node, ParseResult } from 'libpg-query';
import { commentProblem, containsNode, DATA_MODIFYING, loadParser, parsedChecker, type Parser, type TextChecker } from './parser';

/** `problemOf(text)`: why `text` is not exactly one SQL expression, or null when it is. */
export type ExpressionChecker = TextChecker;

const PLAIN = [
  /^[a-z_][a-z0-9_]*\(\)$/i, // a call without arguments: now(), gen_random_uuid()
  /^(true|false|null|current_(timestamp|date|time|user)|localtime(stamp)?|session_user)$/i,
  /^-?\d+(\.\d+)?$/, // a number
  /^'[^'\\]*'$/, // a string literal without quotes or backslashes inside
  // a column compared with a number, or tested for NULL: "rate" > 0, deleted_at IS NULL
  /^("[^"\u0000]+"|[a-z_][a-z0-9_]*) *(>=|<=|<>|!=|=|>|<) *-?\d+(\.\d+)?$/i,
  /^("[^"\u0000]+"|[a-z_][a-z0-9_]*) +IS +(NOT +)?NULL$/i,
  // TypeORM's spelling of CURRENT_DATE, CURRENT_TIMESTAMP(n), LOCALTIME, … (normalizeDatetimeFunction)
  /^\('now'::text\)::(date|time(stamp)?(\(\d+\))? with(out)? time zone)$/,
];

/** Text that is one expression by its very shape: no parser needed. */
export function isPlainExpression(text: string): boolean {
  return PLAIN.some((shape) => shape.test(text));
}

const SELECT_KEYS = new Set(['targetList', 'limitOption', 'op']);
const TARGET_KEYS = new Set(['val', 'location']);
const PARAMETER = new Set(['ParamRef']);

/** The parser's message without the wrapper's closing `\n)`, on one line. */
function parserMessage(message: string): string {
  return message.trim().replace(/\n\)"$/, '"').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function shapeProblem(result: ParseResult): string | null {
  const statements = result.stmts ?? [];
  if (statements.length !== 1) return 'it holds more than one statement';
  const select = (statements[0]!.stmt as { SelectStmt?: Record<string, unknown> } | undefined)?.SelectStmt;
  if (!select) return 'it is not an expression';
  const extra = Object.keys(select).filter((key) => !SELECT_KEYS.has(key));
  if (extra.length > 0 || select.op !== 'SETOP_NONE' || select.limitOption !== 'LIMIT_OPTION_DEFAULT') {
    return 'it closes the expression and adds clauses of its own';
  }
  const targets = (select.targetList ?? []) as Array<{ ResTarget?: Record<string, unknown> }>;
  if (targets.length !== 1) return 'it holds more than one expression';
  const target = targets[0]!.ResTarget;
  if (!target || Object.keys(target).some((key) => !TARGET_KEYS.has(key))) return 'it is not a single expression';
  const modifying = containsNode(target.val as Node, DATA_MODIFYING);
  if (modifying) return `it holds a data-modifying statement (${modifying.replace(/Stmt$/, '').toUpperCase()})`;
  // `$1` would silently bind to pgshift's own parameters inside the backfill's EXECUTE … USING.
  if (containsNode(target.val as Node, PARAMETER)) return 'it holds a parameter ($n): give the value itself';
  return null;
}

function checkerOf(parser: Parser): ExpressionChecker {
  const parsed = parsedChecker(parser, {
    wrap: (text) => `SELECT (${text}\n)`,
    message: parserMessage,
    shape: shapeProblem,
    // Parsed fine: the scanner now sees the same tokens, comments included.
    tokens: commentProblem,
  });
  return { problemOf: (text) => (isPlainExpression(text) ? null : parsed.problemOf(text)) };
}

/** The checker, loading the parser on first use. */
export async function expressionChecker(): Promise<ExpressionChecker> {
  return checkerOf(await loadParser());
}
