/**
 * Is an entity's `@Exclusion` text exactly the body of one EXCLUDE constraint? pgshift writes it as
 * `CONSTRAINT "name" EXCLUDE <text>` inside CREATE TABLE and as `ALTER TABLE … ADD CONSTRAINT "name"
 * EXCLUDE <text>`, so text that closes the constraint and adds SQL of its own (`USING gist (a WITH =));
 * DROP TABLE t; --`, `… WITH =), b int`) must stop the load. Decided by the parser on the text as the
 * ALTER TABLE form: one statement, one command, an exclusion constraint; no comment, no NUL.
 */
import type { ParseResult } from 'libpg-query';
import { firstComment, loadParser, oneLine, type Parser, type TextChecker } from './parser';

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

function checkerOf(parser: Parser): TextChecker {
  return {
    problemOf(text: string): string | null {
      if (text.trim() === '') return 'it is empty';
      if (text.includes('\u0000')) return 'it holds a NUL character';
      let result: ParseResult;
      try {
        result = parser.parseSync(`${WRAPPER}${text}`);
      } catch (error) {
        return oneLine(error instanceof Error ? error.message : String(error));
      }
      const shape = shapeProblem(result);
      if (shape) return shape;
      const comment = firstComment(parser, text);
      return comment ? `it holds a comment (${comment}), which could swallow the SQL after it` : null;
    },
  };
}

export async function exclusionChecker(): Promise<TextChecker> {
  return checkerOf(await loadParser());
}
