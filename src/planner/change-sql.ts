/**
 * The direct (one-statement-per-intent) SQL of each change, with the lock it takes. The planner's safety
 * rules decide when a direct form is acceptable; this module only knows how to say it.
 *
 * `because`: the caller takes this form on purpose (a down restoring the schema, a change on a table the
 * plan creates, a drop allowed with --allow-destructive…); the statements waive what squawk flags in it.
 */
import { assertNever, type Change } from '../diff/change';
import { isObjectChange } from '../diff/object-change';
import { objectStatements } from './object-change-sql';
import { checkSource, displayName } from '../model/schema';
import { createIndexSql, createTableSql, deferrableClause, foreignKeyClause } from '../sql/column-sql';
import { addColumnStatement, AE, alterColumnTypeSql, alterTable, commentSql, flagged, identitySql, rebuildEnumSql } from '../sql/ddl';
import { withDeclaredTypes } from '../sql/declared-type-waivers';
import { ident, identList, literal, qualified } from '../sql/quote';
import { statement, waive, type Statement } from '../sql/statement';

export function directStatements(change: Change, because?: string): Statement[] {
  if (isObjectChange(change)) return objectStatements(change, because);
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
      const name = change.table;
      const table = change.definition;
      const out = [withDeclaredTypes(statement(createTableSql(table), null, name), name, table.columns)];
      // A new table is empty and unused: its indexes need no CONCURRENTLY (which could not share its transaction).
      const empty = `${displayName(name)} is created in this same file: empty, and no application uses it yet`;
      for (const index of table.indexes) out.push(waive(statement(createIndexSql(name, index, false), 'SHARE', name), ['require-concurrent-index-creation'], empty));
      if (table.comment !== null) out.push(statement(commentSql(`TABLE ${qualified(name)}`, table.comment), null, null));
      for (const column of table.columns) {
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
          ? `${alterTable(change.table)} ALTER COLUMN ${ident(change.columnName)} DROP DEFAULT`
          : `${alterTable(change.table)} ALTER COLUMN ${ident(change.columnName)} SET DEFAULT ${change.to}`,
        AE, change.table)];
    case 'SetColumnComment':
      return [statement(commentSql(`COLUMN ${qualified(change.table)}.${ident(change.columnName)}`, change.to), null, null)];
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
