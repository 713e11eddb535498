/**
 * The direct SQL of the changes in src/diff/object-change.ts: EXCLUDE constraints, generation
 * expressions and views, written with the entity's own text (given) where it has one, as TypeORM writes it.
 */
import type { ObjectChange } from '../diff/object-change';
import { sourceOf, viewSource } from '../model/expression-source';
import type { Column, Index, QualifiedName, View } from '../model/schema';
import { columnDefinition, createIndexSql } from '../sql/column-sql';
import { withDeclaredTypes } from '../sql/declared-type-waivers';
import { ident, literal, qualified } from '../sql/quote';
import { waive, type LockMode, type SquawkRule, type Statement } from '../sql/statement';

const AE: LockMode = 'ACCESS EXCLUSIVE';

function stmt(sql: string, lock: LockMode | null, table: QualifiedName | null, duration: Statement['duration'] = 'instant'): Statement {
  return { sql, lock, table, rewrites: duration === 'rewrite' || duration === 'scan', duration };
}

function flagged(s: Statement, rules: readonly SquawkRule[], because: string | undefined): Statement {
  return because === undefined ? s : waive(s, rules, because);
}

/** pg_get_viewdef ends its text with `;`, and an entity's query may too: a statement of its own must not. */
function query(view: View): string {
  return viewSource(view).trim().replace(/;+\s*$/, '');
}

function kindWord(view: View): string {
  return view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
}

export function viewName(view: View): QualifiedName {
  return { schema: view.schema, name: view.name };
}

/** CREATE [MATERIALIZED] VIEW and, for a materialized view, its indexes (built on the fresh, unused view). */
export function createViewStatements(view: View, because?: string): Statement[] {
  const name = viewName(view);
  // A materialized view runs its query once to fill itself: it reads the tables (ACCESS SHARE, writes go on).
  const out = [stmt(`CREATE ${kindWord(view)} ${qualified(name)} AS ${query(view)}`, null, name, view.materialized ? 'build' : 'instant')];
  const fresh = `${name.name} is created in this same file: no application reads it yet`;
  for (const index of view.indexes) out.push(waive(stmt(createIndexSql(name, index, false), 'SHARE', name, 'build'), ['require-concurrent-index-creation'], because ?? fresh));
  return out;
}

export function dropViewStatement(view: View): Statement {
  return stmt(`DROP ${kindWord(view)} ${qualified(viewName(view))}`, AE, viewName(view));
}

export function replaceViewStatement(view: View): Statement {
  return stmt(`CREATE OR REPLACE VIEW ${qualified(viewName(view))} AS ${query(view)}`, AE, viewName(view));
}

export function addExclusionStatement(table: QualifiedName, exclusion: { readonly name: string; readonly expression: string; readonly given?: string }, duration: Statement['duration'] = 'build'): Statement {
  return stmt(`ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${ident(exclusion.name)} EXCLUDE ${sourceOf(exclusion)}`, AE, table, duration);
}

/** `DROP EXPRESSION` (PG 13+): the column keeps its values and becomes an ordinary one; catalog only. */
export function dropExpressionStatement(table: QualifiedName, column: string): Statement {
  return stmt(`ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(column)} DROP EXPRESSION`, AE, table);
}

/** `SET EXPRESSION` (PG 17+): recomputes every row, rewriting the table under ACCESS EXCLUSIVE. */
export function setExpressionStatement(table: QualifiedName, column: Column): Statement {
  return stmt(`ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(column.name)} SET EXPRESSION AS (${sourceOf(column.generated!)})`, AE, table, 'rewrite');
}

/**
 * The column dropped and added again with its new definition (before PG 17, and to turn a plain column
 * into a generated one): the table is rewritten, the column moves to the end, and the indexes on it
 * (`indexes`, from the schema after the change) are built again in the same transaction.
 */
export function readdColumnStatements(table: QualifiedName, column: Column, indexes: readonly Index[], because?: string): Statement[] {
  const out: Statement[] = [
    flagged(stmt(`ALTER TABLE ${qualified(table)} DROP COLUMN ${ident(column.name)}`, AE, table), ['ban-drop-column'], because),
    flagged(withDeclaredTypes(stmt(`ALTER TABLE ${qualified(table)} ADD COLUMN ${columnDefinition(column)}`, AE, table, 'rewrite'), table, [column]), ['adding-field-with-default'], because),
  ];
  if (column.comment !== null) out.push(stmt(`COMMENT ON COLUMN ${qualified(table)}.${ident(column.name)} IS ${literal(column.comment)}`, null, null));
  for (const index of indexes) out.push(flagged(stmt(createIndexSql(table, index, false), 'SHARE', table, 'build'), ['require-concurrent-index-creation'], because));
  return out;
}

/** The portable direct form of each change (the planner's rules pick version-specific forms). */
export function objectStatements(change: ObjectChange, because?: string): Statement[] {
  switch (change.kind) {
    case 'AddExclusion': return [flagged(addExclusionStatement(change.table, change.exclusion), ['constraint-missing-not-valid'], because)];
    case 'DropExclusion': return [stmt(`ALTER TABLE ${qualified(change.table)} DROP CONSTRAINT ${ident(change.exclusion.name)}`, AE, change.table)];
    case 'AlterColumnGenerated':
      return change.to.generated === undefined
        ? [dropExpressionStatement(change.table, change.to.name)]
        : readdColumnStatements(change.table, change.to, [], because);
    case 'CreateView': return createViewStatements(change.view, because);
    case 'DropView': return [dropViewStatement(change.view)];
    case 'ReplaceView': return [replaceViewStatement(change.to)];
  }
}
