/**
 * The SQL an entity carries — `@Check` expressions, `@Index({ where })`, function defaults
 * (`default: () => "…"`) and `asExpression` — is spliced into pgshift's DDL as it is, so each must be
 * exactly one SQL expression (src/sql-check/one-expression.ts): text such as `x > 0); DROP TABLE t; --`
 * stops the load with the entity's file and class instead of reaching a migration. The parser is only
 * loaded when some entity has such SQL beyond the plain shapes (`now()`, `0`).
 */
import { relative } from 'node:path';
import type { DataSource, EntityMetadata } from 'typeorm';
import { PgshiftError } from '../errors';
import { expressionChecker, isPlainExpression } from '../sql-check/one-expression';
import { fileDefiningClass } from './require-hook';

interface Fragment {
  readonly metadata: EntityMetadata;
  /** What the text is, as the entity spells it: `@Check`, `@Index(… where)`, `column x default`. */
  readonly what: string;
  readonly sql: string;
}

function fragmentsOf(metadata: EntityMetadata, dataSource: DataSource): Fragment[] {
  const out: Fragment[] = [];
  for (const check of metadata.checks) if (check.expression) out.push({ metadata, what: '@Check expression', sql: check.expression });
  for (const index of metadata.indices) {
    if (index.where) out.push({ metadata, what: `@Index${index.givenName ? ` ${index.givenName}` : ''} where`, sql: index.where });
  }
  for (const column of metadata.columns) {
    if (typeof column.default === 'function') {
      out.push({ metadata, what: `column ${column.propertyPath} default`, sql: String(dataSource.driver.normalizeDefault(column)) });
    }
    if (column.asExpression) out.push({ metadata, what: `column ${column.propertyPath} asExpression`, sql: column.asExpression });
  }
  return out;
}

function entityName(metadata: EntityMetadata, cwd: string): string {
  const file = fileDefiningClass(metadata.target);
  return file ? `${relative(cwd, file) || file}: ${metadata.targetName}` : metadata.targetName;
}

/** One line of the text, for the message: escapes instead of line breaks, long text cut. */
function shown(sql: string): string {
  const line = sql.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

export async function checkEntityExpressions(dataSource: DataSource, cwd: string): Promise<void> {
  const fragments = dataSource.entityMetadatas
    .filter((m) => m.tableType !== 'view')
    .flatMap((m) => fragmentsOf(m, dataSource))
    .filter((f) => !isPlainExpression(f.sql));
  if (fragments.length === 0) return;
  const checker = await expressionChecker();
  for (const fragment of fragments) {
    const problem = checker.problemOf(fragment.sql);
    if (problem === null) continue;
    throw new PgshiftError('ENTITY', `${entityName(fragment.metadata, cwd)}: ${fragment.what} \`${shown(fragment.sql)}\` is not one SQL expression: ${problem}`, {
      hint: 'write it as one SQL expression, the way it would stand inside CHECK ( … ) or DEFAULT ( … ): pgshift puts it into the migration as it is',
    });
  }
}
