/**
 * The SQL an entity carries is spliced into pgshift's DDL as it is, so each piece must be what its place
 * takes: `@Check` expressions, `@Index({ where })`, function defaults (`default: () => "…"`) and
 * `asExpression` exactly one SQL expression (src/sql-check/one-expression.ts), a `@ViewEntity` query
 * exactly one SELECT (view-query.ts), an `@Exclusion` exactly one EXCLUDE body (exclusion-body.ts).
 * Text such as `x > 0); DROP TABLE t; --` stops the load with the entity's file and class instead of
 * reaching a migration. The parser is only loaded when some entity has such SQL beyond the plain shapes
 * (`now()`, `0`).
 */
import { relative } from 'node:path';
import type { DataSource, EntityMetadata } from 'typeorm';
import { PgshiftError } from '../errors';
import { expressionChecker, isPlainExpression } from '../sql-check/one-expression';
import { exclusionChecker } from '../sql-check/exclusion-body';
import type { TextChecker } from '../sql-check/parser';
import { viewQueryChecker } from '../sql-check/view-query';
import { exclusionText } from './map-table';
import { viewExpression } from './map-view';
import { fileDefiningClass } from './require-hook';

/** What a piece of entity SQL must be, by where pgshift puts it. */
type Place = 'expression' | 'view' | 'exclusion';

const PLACES: Record<Place, { readonly checker: () => Promise<TextChecker>; readonly is: string; readonly hint: string }> = {
  expression: {
    checker: expressionChecker,
    is: 'one SQL expression',
    hint: 'write it as one SQL expression, the way it would stand inside CHECK ( … ) or DEFAULT ( … ): pgshift puts it into the migration as it is',
  },
  view: {
    checker: viewQueryChecker,
    is: 'one SELECT',
    hint: 'write the view\'s query as one SELECT statement, the way it would follow CREATE VIEW … AS: pgshift puts it into the migration as it is',
  },
  exclusion: {
    checker: exclusionChecker,
    is: 'one exclusion constraint',
    hint: 'write it the way it follows EXCLUDE in a constraint, e.g. USING gist ("room" WITH =, "during" WITH &&): pgshift puts it into the migration as it is',
  },
};

interface Fragment {
  readonly place: Place;
  readonly metadata: EntityMetadata;
  /** What the text is, as the entity spells it: `@Check`, `@Index(… where)`, `column x default`. */
  readonly what: string;
  readonly sql: string;
}

function fragmentsOf(metadata: EntityMetadata, dataSource: DataSource): Fragment[] {
  const place = 'expression';
  if (metadata.tableType === 'view') {
    // The views pgshift writes (viewsToSync) that have a query at all.
    const sql = metadata.synchronize ? viewExpression(metadata, dataSource) : '';
    return sql === '' ? [] : [{ place: 'view', metadata, what: '@ViewEntity expression', sql }];
  }
  const out: Fragment[] = [];
  for (const check of metadata.checks) if (check.expression) out.push({ place, metadata, what: '@Check expression', sql: check.expression });
  for (const exclusion of metadata.exclusions) {
    if (exclusion.expression) out.push({ place: 'exclusion', metadata, what: `@Exclusion${exclusion.givenName ? ` ${exclusion.givenName}` : ''}`, sql: exclusionText(exclusion) });
  }
  for (const index of metadata.indices) {
    if (index.where) out.push({ place, metadata, what: `@Index${index.givenName ? ` ${index.givenName}` : ''} where`, sql: index.where });
  }
  for (const column of metadata.columns) {
    if (typeof column.default === 'function') {
      out.push({ place, metadata, what: `column ${column.propertyPath} default`, sql: String(dataSource.driver.normalizeDefault(column)) });
    }
    if (column.asExpression) out.push({ place, metadata, what: `column ${column.propertyPath} asExpression`, sql: column.asExpression });
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
    .flatMap((m) => fragmentsOf(m, dataSource))
    .filter((f) => f.place !== 'expression' || !isPlainExpression(f.sql));
  const checkers = new Map<Place, TextChecker>();
  for (const fragment of fragments) {
    const place = PLACES[fragment.place];
    const checker = checkers.get(fragment.place) ?? await place.checker();
    checkers.set(fragment.place, checker);
    const problem = checker.problemOf(fragment.sql);
    if (problem === null) continue;
    throw new PgshiftError('ENTITY', `${entityName(fragment.metadata, cwd)}: ${fragment.what} \`${shown(fragment.sql)}\` is not ${place.is}: ${problem}`, {
      hint: place.hint,
    });
  }
}
