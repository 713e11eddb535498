/**
 * The direct (one-statement-per-intent) SQL of each change, with the lock it takes. The planner's safety
 * rules decide when a direct form is acceptable; this module only knows how to say it.
 */
import { assertNever, type Change, type EnumUsage } from '../diff/change';
import { checkSource, type Column, type EnumType, type QualifiedName } from '../model/schema';
import type { LockMode, Statement } from '../planner/step';
import { columnDefinition, columnType, createIndexSql, createTableSql, deferrableClause, foreignKeyClause } from './column-sql';
import { ident, identList, literal, qualified } from './quote';

export function statement(sql: string, lock: LockMode | null, table: QualifiedName | null, duration: Statement['duration'] = 'instant'): Statement {
  return { sql, lock, table, rewrites: duration === 'rewrite' || duration === 'scan', duration };
}

const alterTable = (table: QualifiedName) => `ALTER TABLE ${qualified(table)}`;
const AE: LockMode = 'ACCESS EXCLUSIVE';

function commentSql(target: string, comment: string | null): string {
  return `COMMENT ON ${target} IS ${comment === null ? 'NULL' : literal(comment)}`;
}

export function alterColumnTypeSql(table: QualifiedName, from: Column, to: Column): Statement[] {
  const column = ident(to.name);
  const out: Statement[] = [];
  // The old default may not cast to the new type: drop it first, then set the new one.
  if (from.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} DROP DEFAULT`, AE, table));
  const using = to.enumType || from.enumType ? `${column}::text::${columnType(to)}` : `${column}::${columnType(to)}`;
  out.push(statement(`${alterTable(table)} ALTER COLUMN ${column} TYPE ${columnType(to)} USING ${using}`, AE, table, 'rewrite'));
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
export function rebuildEnumSql(from: EnumType, to: EnumType, usages: readonly EnumUsage[]): Statement[] {
  const temp = { schema: to.schema, name: `${to.name}__pgshift_new` };
  const out: Statement[] = [statement(`CREATE TYPE ${qualified(temp)} AS ENUM (${to.values.map(literal).join(', ')})`, null, null)];
  for (const { table, column } of usages) {
    const col = ident(column.name);
    const newType = column.isArray ? `${qualified(temp)}[]` : qualified(temp);
    if (column.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${col} DROP DEFAULT`, AE, table));
    out.push(statement(`${alterTable(table)} ALTER COLUMN ${col} TYPE ${newType} USING ${col}::text::${newType}`, AE, table, 'rewrite'));
    if (column.default !== null) out.push(statement(`${alterTable(table)} ALTER COLUMN ${col} SET DEFAULT ${column.default}`, AE, table));
  }
  out.push(statement(`DROP TYPE ${qualified(from)}`, null, null));
  out.push(statement(`ALTER TYPE ${qualified(temp)} RENAME TO ${ident(to.name)}`, null, null));
  return out;
}

export function directStatements(change: Change): Statement[] {
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
    case 'RebuildEnum': return rebuildEnumSql(change.from, change.to, change.usages);
    case 'CreateTable': {
      const name = { schema: change.table.schema, name: change.table.name };
      const out = [statement(createTableSql(change.table), null, name)];
      for (const index of change.table.indexes) out.push(statement(createIndexSql(name, index, false), 'SHARE', name));
      if (change.table.comment !== null) out.push(statement(commentSql(`TABLE ${qualified(name)}`, change.table.comment), null, null));
      for (const column of change.table.columns) {
        if (column.comment !== null) out.push(statement(commentSql(`COLUMN ${qualified(name)}.${ident(column.name)}`, column.comment), null, null));
      }
      return out;
    }
    case 'DropTable': return [statement(`DROP TABLE ${qualified(change.table)}`, AE, change.table)];
    case 'RenameTable':
      return [statement(`${alterTable(change.from)} RENAME TO ${ident(change.to.name)}`, AE, change.from)];
    case 'AddColumn': {
      const out = [statement(`${alterTable(change.table)} ADD COLUMN ${columnDefinition(change.column)}`, AE, change.table)];
      if (change.column.comment !== null) {
        out.push(statement(commentSql(`COLUMN ${qualified(change.table)}.${ident(change.column.name)}`, change.column.comment), null, null));
      }
      return out;
    }
    case 'DropColumn': return [statement(`${alterTable(change.table)} DROP COLUMN ${ident(change.column.name)}`, AE, change.table)];
    case 'RenameColumn':
      return [statement(`${alterTable(change.table)} RENAME COLUMN ${ident(change.from.name)} TO ${ident(change.to.name)}`, AE, change.table)];
    case 'AlterColumnType': return alterColumnTypeSql(change.table, change.from, change.to);
    case 'AlterColumnIdentity': return identitySql(change.table, change.from, change.to);
    case 'SetNotNull':
      return [statement(`${alterTable(change.table)} ALTER COLUMN ${ident(change.column.name)} SET NOT NULL`, AE, change.table, 'scan')];
    case 'DropNotNull':
      return [statement(`${alterTable(change.table)} ALTER COLUMN ${ident(change.column.name)} DROP NOT NULL`, AE, change.table)];
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
      return [statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.primaryKey.name)} PRIMARY KEY (${identList(change.primaryKey.columns)})`, AE, change.table, 'build')];
    case 'DropPrimaryKey':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.primaryKey.name)}`, AE, change.table)];
    case 'AddUnique':
      return [statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.unique.name)} UNIQUE (${identList(change.unique.columns)})${deferrableClause(change.unique.deferrable)}`, 'SHARE ROW EXCLUSIVE', change.table, 'build')];
    case 'DropUnique':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.unique.name)}`, AE, change.table)];
    case 'AddForeignKey':
      return [statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.foreignKey.name)} ${foreignKeyClause(change.foreignKey)}`, 'SHARE ROW EXCLUSIVE', change.table, 'scan')];
    case 'DropForeignKey':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.foreignKey.name)}`, AE, change.table)];
    case 'AddCheck':
      return [statement(`${alterTable(change.table)} ADD CONSTRAINT ${ident(change.check.name)} CHECK (${checkSource(change.check)})`, AE, change.table, 'scan')];
    case 'DropCheck':
      return [statement(`${alterTable(change.table)} DROP CONSTRAINT ${ident(change.check.name)}`, AE, change.table)];
    case 'CreateIndex': return [statement(createIndexSql(change.table, change.index, false), 'SHARE', change.table, 'build')];
    case 'DropIndex':
      return [statement(`DROP INDEX ${qualified({ schema: change.table.schema, name: change.index.name })}`, AE, change.table)];
    default: return assertNever(change);
  }
}
