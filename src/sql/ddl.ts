/**
 * DDL statements with the lock each takes, for the forms that need more than one line of SQL (a type change,
 * an identity, an enum rebuild, ADD COLUMN with its squawk waivers). planner/change-sql.ts says each change
 * with them; this module knows nothing of changes or plans.
 */
import type { Column, EnumType, QualifiedName } from '../model/schema';
import { columnDefinition, columnType } from './column-sql';
import { withDeclaredTypes } from './declared-type-waivers';
import { ident, literal, qualified } from './quote';
import { statement, waive, type LockMode, type SquawkRule, type Statement } from './statement';


/** A column of an enum type that a rebuild moves over (diff/change.ts EnumUsage has this shape). */
export interface EnumColumn {
  readonly table: QualifiedName;
  readonly column: Column;
}

export const alterTable = (table: QualifiedName) => `ALTER TABLE ${qualified(table)}`;

/**
 * The form squawk flags, waived when the caller took it on purpose (`because` says why); without a
 * reason the statement stays as it is and squawk reports it.
 */
export function flagged(s: Statement, rules: readonly SquawkRule[], because: string | undefined): Statement {
  return because === undefined ? s : waive(s, rules, because);
}
export const AE: LockMode = 'ACCESS EXCLUSIVE';

export function commentSql(target: string, comment: string | null): string {
  return `COMMENT ON ${target} IS ${comment === null ? 'NULL' : literal(comment)}`;
}

export function alterColumnTypeSql(table: QualifiedName, from: Column, to: Column, because?: string): Statement[] {
  const column = ident(to.name);
  const out: Statement[] = [];
  // The old default may not cast to the new type: drop it first, then set the new one.
  if (from.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} DROP DEFAULT`, AE, table));
  const using = to.enumType || from.enumType ? `${column}::text::${columnType(to)}` : `${column}::${columnType(to)}`;
  const alter = statement(`${alterTable(table)} ALTER COLUMN ${column} TYPE ${columnType(to)} USING ${using}`, AE, table, 'rewrite');
  out.push(flagged(withDeclaredTypes(alter, table, [to]), ['changing-column-type'], because));
  if (to.default !== null && !to.serial && !to.identity) {
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} SET DEFAULT ${to.default}`, AE, table));
  }
  return out;
}

export function identitySql(table: QualifiedName, from: Column, to: Column): Statement[] {
  const column = ident(to.name);
  const out: Statement[] = [];
  if (from.identity) out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} DROP IDENTITY`, AE, table));
  if (from.serial) {
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} DROP DEFAULT`, AE, table));
    out.push(statement(`DROP SEQUENCE IF EXISTS ${qualified({ schema: table.schema, name: `${table.name}_${to.name}_seq` })}`, null, null));
  }
  if (to.identity) {
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} ADD GENERATED ${to.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`, AE, table));
  }
  if (to.serial) {
    const seq = qualified({ schema: table.schema, name: `${table.name}_${to.name}_seq` });
    out.push(statement(`CREATE SEQUENCE ${seq} AS ${to.dataType} OWNED BY ${qualified(table)}.${column}`, null, null));
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} SET DEFAULT nextval(${literal(seq)}::regclass)`, AE, table));
  }
  if (!to.serial && !to.identity && to.default !== null) {
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} SET DEFAULT ${to.default}`, AE, table));
  }
  return out;
}

/**
 * Rebuilding an enum (labels removed or reordered): create the new type under a temporary name, move
 * every column over through text, drop the old type, rename. Rows holding a removed label make it fail,
 * which is the right outcome: it rolls back rather than losing data.
 */
export function rebuildEnumSql(from: EnumType, to: EnumType, usages: readonly EnumColumn[], because?: string): Statement[] {
  const temp = { schema: to.schema, name: `${to.name}__pgshift_new` };
  const out: Statement[] = [statement(`CREATE TYPE ${qualified(temp)} AS ENUM (${to.values.map(literal).join(', ')})`, null, null)];
  for (const { table, column } of usages) {
    const col = ident(column.name);
    const newType = column.isArray ? `${qualified(temp)}[]` : qualified(temp);
    if (column.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${col} DROP DEFAULT`, AE, table));
    out.push(flagged(statement(`${alterTable(table)} ALTER COLUMN ${col} TYPE ${newType} USING ${col}::text::${newType}`, AE, table, 'rewrite'), ['changing-column-type'], because));
    if (column.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${col} SET DEFAULT ${column.default}`, AE, table));
  }
  out.push(statement(`DROP TYPE ${qualified(from)}`, null, null));
  out.push(statement(`ALTER TYPE ${qualified(temp)} RENAME TO ${ident(to.name)}`, null, null));
  return out;
}

/** A number, a quoted string (optionally cast) or a boolean: the defaults squawk itself knows are constant. */
const PLAIN_LITERAL = /^(\d+(\.\d+)?|'(?:[^']|'')*'(::[a-z ]+)?|true|false)$/i;

/**
 * What squawk flags in `ADD COLUMN`: NOT NULL without a default (adding-required-field); a generated
 * value, or a default it cannot tell is constant (adding-field-with-default: it counts CURRENT_DATE or a
 * negative number as volatile, while PG 11+ stores any non-volatile default once, without a rewrite).
 */
function addColumnRules(column: Column): SquawkRule[] {
  const rules: SquawkRule[] = [];
  if (!column.nullable && column.default === null && !column.serial && column.identity === null) rules.push('adding-required-field');
  if ((column.default !== null && !PLAIN_LITERAL.test(column.default.trim())) || column.serial || column.identity !== null) rules.push('adding-field-with-default');
  return rules;
}

/** `ADD COLUMN`, waiving the column's declared-type rules, and what squawk flags in it when `because` is given. */
export function addColumnStatement(table: QualifiedName, column: Column, because?: string): Statement {
  const add = withDeclaredTypes(statement(`${alterTable(table)} ADD COLUMN ${columnDefinition(column)}`, AE, table), table, [column]);
  return flagged(add, addColumnRules(column), because);
}
