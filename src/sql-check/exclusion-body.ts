/**
 * Is an entity's `@Exclusion` text exactly the body of one EXCLUDE constraint? pgshift writes it as
 * `CONSTRAINT "name" EXCLUDE <text>` inside CREATE TABLE and as `ALTER TABLE … ADD CONSTRAINT "name"
 * EXCLUDE <text>`, so text that closes the constraint and adds SQL of its own (`USING gist (a WITH =));
 * DROP TABLE t; --`, `… WITH =), b int`) must stop the load. Decided by the parser on the text as the
 * ALTER TABLE form (one statement, one command, an exclusion constraint) and in the CREATE TABLE form
 * (one statement: a trailing `;` ends the ALTER harmlessly, not the CREATE TABLE); no comment, no NUL.
 */
import type { ParseResult } from 'libpg-query';
import { commentProblem, loadParser, parsedChecker, statementKinds, type Parser, type TextChecker } from './parser';

const WRAPPER = 'ALTER TABLE pgshift_check ADD CONSTRAINT pgshift_check EXCLUDE ';

type Node = Record<string, unknown> | undefined;

function shapeProblem(result: ParseResult): string | null {
  const statements = result.stmts ?? [];
  if (statements.length !== 1) return 'it holds more than one statement';
  const alter = (statements[0]!.stmt as Node)?.AlterTableStmt as Node;
  const commands = (alter?.cmds ?? []) as Array<{ AlterTableCmd?: Node }>;
  if (commands.length !== 1) return 'it closes the constraint and adds commands of its own';
  const command = commands[0]!.AlterTableCmd;
  const constraint = (command?.def as Node)?.Constraint as Node;
  if (command?.subtype !== 'AT_AddConstraint' || constraint?.contype !== 'CONSTR_EXCLUSION') return 'it is not an exclusion constraint';
  return null;
}

/** The other place pgshift writes it: inside CREATE TABLE, where a `;` or a `)` ends more than the constraint. */
function inCreateTable(parser: Parser, text: string): string | null {
  const comment = commentProblem(parser, text);
  if (comment) return comment;
  const kinds = statementKinds(parser, `CREATE TABLE pgshift_check (CONSTRAINT pgshift_check EXCLUDE ${text})`);
  return kinds?.length === 1 && kinds[0] === 'CreateStmt' ? null : 'it ends the constraint inside CREATE TABLE and adds SQL of its own';
}

export async function exclusionChecker(): Promise<TextChecker> {
  return parsedChecker(await loadParser(), { wrap: (text) => `${WRAPPER}${text}`, shape: shapeProblem, tokens: inCreateTable });
}
