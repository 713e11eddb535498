/**
 * The direct (one-statement-per-intent) SQL of each change, with the lock it takes. The planner's safety
 * rules decide when a direct form is acceptable; this module only knows how to say it.
 */
import { assertNever, type Change, type EnumUsage } from '../diff/change';
import { checkSource, type Column, type EnumType, type QualifiedName } from '../model/schema';
import { waive, type SquawkRule } from '../planner/lint-waiver';
import type { LockMode, Statement } from '../planner/step';
import { columnDefinition, columnType, createIndexSql, createTableSql, deferrableClause, foreignKeyClause } from './column-sql';
import { withDeclaredTypes } from './declared-type-waivers';
import { displayName } from '../planner/describe';
import { ident, identList, literal, qualified } from './quote';

export function statement(sql: string, lock: LockMode | null, table: QualifiedName | null, duration: Statement['duration'] = 'instant'): Statement {
  return { sql, lock, table, rewrites: duration === 'rewrite' || duration === 'scan', duration };
}

const alterTable = (table: QualifiedName) => `ALTER TABLE ${qualified(table)}`;

/**
 * The form squawk flags, waived when the caller took it on purpose (`because` says why); without a
 * reason the statement stays as it is and squawk reports it.
 */
function flagged(s: Statement, rules: readonly SquawkRule[], because: string | undefined): Statement {
  return because === undefined ? s : waive(s, rules, because);
}
const AE: LockMode = 'ACCESS EXCLUSIVE';

function commentSql(target: string, comment: string | null): string {
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

function identitySql(table: QualifiedName, from: Column, to: Column): Statement[] {
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
export function rebuildEnumSql(from: EnumType, to: EnumType, usages: readonly EnumUsage[], because?: string): Statement[] {
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

/**
 * `because`: the caller takes this form on purpose (a down restoring the schema, a change on a table the
 * plan creates, a drop allowed with --allow-destructive…); the statements waive what squawk flags in it.
 */
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

export function directStatements(change: Change, because?: string): Statement[] {
  switch (change.kind) {
    case 'CreateSchema': return [statement(`CREATE SCHEMA IF NOT EXISTS ${ident(change.schema)}`, null, null)];
    case 'DropSchema': return [statement(`DROP SCHEMA ${ident(change.schema)}`, null, null)];
    case 'CreateExtension': return [statement(`CREATE EXTENSION IF NOT EXISTS ${ident(change.extension)}`, null, null)];
    case 'DropExtension': return [statement(`DROP EXTENSION IF EXISTS ${ident(change.extension)}`, null, null)];
    case 'CreateEnum':
      return [statement(`CREATE TYPE ${qualified(change.enumType)} AS ENUM (${change.enumType.values.map(literal).join(', ')})`, null, null)];
    case 'DropEnum': return [statement(`DROP TYPE ${qualified(change.enumType)}`, null, null)];
    case 'AddEnumValue': {
      const place = change.before !== null ? ` BEFORE ${literal(change.before)}` : change.after !== null ? ` AFTER ${literal(change.after)}` : '';
      return [statement(`ALTER TYPE ${qualified(change.enumType)} ADD VALUE ${literal(change.value)}${place}`, null, null)];
    }
    case 'RebuildEnum': return rebuildEnumSql(change.from, change.to, change.usages, because);
    case 'CreateTable': {
      const name = { schema: change.table.schema, name: change.table.name };
      const out = [withDeclaredTypes(statement(createTableSql(change.table), null, name), name, change.table.columns)];
      // A new table is empty and unused: its indexes need no CONCURRENTLY (which could not share its transaction).
      const empty = `${displayName(name)} is created in this same file: empty, and no application uses it yet`;
      for (const index of change.table.indexes) out.push(waive(statement(createIndexSql(name, index, false), 'SHARE', name), ['require-concurrent-index-creation'], empty));
      if (change.table.comment !== null) out.push(statement(commentSql(`TABLE ${qualified(name)}`, change.table.comment), null, null));
      for (const column of change.table.columns) {
        if (column.comment !== null) out.push(statement(commentSql(`COLUMN ${qualified(name)}.${ident(column.name)}`, column.comment), null, null));
      }
      return out;
    }
    case 'DropTable': return [flagged(statement(`DROP TABLE ${qualified(change.table)}`, AE, change.table), ['ban-drop-table'], because)];
    case 'RenameTable':
      return [flagged(statement(`${alterTable(change.from)} RENAME TO ${ident(change.to.name)}`, AE, change.from), ['renaming-table'], because)];
    case 'AddColumn': {
      const out = [addColumnStatement(change.table, change.column, because)];
      if (change.column.comment !== null) {
        out.push(statement(commentSql(`COLUMN ${qualified(change.table)}.${ident(change.column.name)}`, change.column.comment), null, null));
      }
      return out;
    }
    case 'DropColumn': return [flagged(statement(`${alterTable(change.table)} DROP COLUMN ${ident(change.column.name)}`, AE, change.table), ['ban-drop-column'], because)];
    case 'RenameColumn':
      return [flagged(statement(`${alterTable(change.table)} RENAME COLUMN ${ident(change.from.name)} TO ${ident(change.to.name)}`, AE, change.table), ['renaming-column'], because)];
    case 'AlterColumnType': return alterColumnTypeSql(change.table, change.from, change.to, because);
    case 'AlterColumnIdentity': return identitySql(change.table, change.from, change.to);
    case 'SetNotNull':
      return [flagged(statement(`${alterTable(change.table)} ALTER COLUMN ${ident(change.column.name)} SET NOT NULL`, AE, change.table, 'scan'), ['adding-not-nullable-field'], because)];
    case 'DropNotNull':
      return [flagged(statement(`${alterTable(change.table)} ALTER COLUMN ${ident(change.column.name)} DROP NOT NULL`, AE, change.table), ['ban-drop-not-null'], because)];
    case 'SetDefault':
      return [statement(
        change.to === null
          ? `${alterTable(change.table)} ALTER COLUMN ${ident(change.column)} DROP DEFAULT`
          : `${alterTable(change.table)} ALTER COLUMN ${ident(change.column)} SET DEFAULT ${change.to}`,
        AE, change.table)];
    case 'SetColumnComment':
      return [statement(commentSql(`COLUMN ${qualified(change.table)}.${ident(change.column)}`, change.to), null, null)];
    case 'SetTableComment': return [statement(commentSql(`TABLE ${qualified(change.table)}`, change.to), null, null)];
    case 'AddPrimaryKey':
      return [flagged(statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.primaryKey.name)} PRIMARY KEY (${identList(change.primaryKey.columns)})`, AE, change.table, 'build'), ['adding-serial-primary-key-field', 'constraint-missing-not-valid'], because)];
    case 'DropPrimaryKey':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.primaryKey.name)}`, AE, change.table)];
    case 'AddUnique':
      return [flagged(statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.unique.name)} UNIQUE (${identList(change.unique.columns)})${deferrableClause(change.unique.deferrable)}`, 'SHARE ROW EXCLUSIVE', change.table, 'build'), ['disallowed-unique-constraint', 'constraint-missing-not-valid'], because)];
    case 'DropUnique':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.unique.name)}`, AE, change.table)];
    case 'AddForeignKey':
      return [flagged(statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.foreignKey.name)} ${foreignKeyClause(change.foreignKey)}`, 'SHARE ROW EXCLUSIVE', change.table, 'scan'), ['adding-foreign-key-constraint', 'constraint-missing-not-valid'], because)];
    case 'DropForeignKey':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.foreignKey.name)}`, AE, change.table)];
    case 'AddCheck':
      return [flagged(statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.check.name)} CHECK (${checkSource(change.check)})`, AE, change.table, 'scan'), ['constraint-missing-not-valid'], because)];
    case 'DropCheck':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.check.name)}`, AE, change.table)];
    case 'CreateIndex': return [flagged(statement(createIndexSql(change.table, change.index, false), 'SHARE', change.table, 'build'), ['require-concurrent-index-creation'], because)];
    case 'DropIndex':
      return [flagged(statement(`DROP INDEX ${qualified({ schema: change.table.schema, name: change.index.name })}`, AE, change.table), ['require-concurrent-index-deletion'], because)];
    default: return assertNever(change);
  }
}
