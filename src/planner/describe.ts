/** Human words for changes: one-line summaries for headers and listings, and slugs for file names. */
import { assertNever, type Change } from '../diff/change';
import { displayName, type Column, type QualifiedName } from '../model/schema';
import { declaredType } from '../sql/column-sql';
import { isObjectChange, type ObjectChange } from '../diff/object-change';


function columnWords(column: Column): string {
  const parts = [column.serial ? `${column.dataType} (serial)` : declaredType(column).replace(/"/g, '')];
  parts.push(column.nullable ? 'null' : 'not null');
  if (column.default !== null) parts.push(`default ${column.default}`);
  if (column.identity) parts.push(`identity ${column.identity}`);
  return parts.join(', ');
}

export function describeChange(change: Change): string {
  if (isObjectChange(change)) return describeObjectChange(change);
  switch (change.kind) {
    case 'CreateSchema': return `create schema ${change.schema}`;
    case 'DropSchema': return `drop schema ${change.schema}`;
    case 'CreateExtension': return `create extension ${change.extension}`;
    case 'DropExtension': return `drop extension ${change.extension}`;
    case 'CreateEnum': return `create enum ${displayName(change.enumType)} (${change.enumType.values.join(', ')})`;
    case 'DropEnum': return `drop enum ${displayName(change.enumType)}`;
    case 'AddEnumValue': return `add value '${change.value}' to enum ${displayName(change.enumType)}`;
    case 'RebuildEnum': return `rebuild enum ${displayName(change.to)} as (${change.to.values.join(', ')})`;
    case 'CreateTable': return `create table ${displayName(change.table)}`;
    case 'DropTable': return `drop table ${displayName(change.table)}`;
    case 'RenameTable': return `rename table ${displayName(change.from)} to ${change.to.name}`;
    case 'AddColumn': return `add column ${displayName(change.table)}.${change.column.name} (${columnWords(change.column)})`;
    case 'DropColumn': return `drop column ${displayName(change.table)}.${change.column.name}`;
    case 'RenameColumn': return `rename column ${displayName(change.table)}.${change.from.name} to ${change.to.name}`;
    case 'AlterColumnType':
      return `change type of ${displayName(change.table)}.${change.to.name} from ${declaredType(change.from).replace(/"/g, '')} to ${declaredType(change.to).replace(/"/g, '')}`;
    case 'AlterColumnIdentity': return `change identity/serial of ${displayName(change.table)}.${change.to.name}`;
    case 'SetNotNull': return `set ${displayName(change.table)}.${change.column.name} NOT NULL`;
    case 'DropNotNull': return `drop NOT NULL on ${displayName(change.table)}.${change.column.name}`;
    case 'SetDefault':
      return change.to === null
        ? `drop default of ${displayName(change.table)}.${change.columnName}`
        : `set default of ${displayName(change.table)}.${change.columnName} to ${change.to}`;
    case 'SetColumnComment': return `comment on column ${displayName(change.table)}.${change.columnName}`;
    case 'SetTableComment': return `comment on table ${displayName(change.table)}`;
    case 'AddPrimaryKey': return `add primary key ${change.primaryKey.name} on ${displayName(change.table)} (${change.primaryKey.columns.join(', ')})`;
    case 'DropPrimaryKey': return `drop primary key ${change.primaryKey.name} on ${displayName(change.table)}`;
    case 'AddUnique': return `add unique ${change.unique.name} on ${displayName(change.table)} (${change.unique.columns.join(', ')})`;
    case 'DropUnique': return `drop unique ${change.unique.name} on ${displayName(change.table)}`;
    case 'AddForeignKey':
      return `add foreign key ${change.foreignKey.name} ${displayName(change.table)} (${change.foreignKey.columns.join(', ')}) → ${displayName(change.foreignKey.referencedTable)}`;
    case 'DropForeignKey': return `drop foreign key ${change.foreignKey.name} on ${displayName(change.table)}`;
    case 'AddCheck': return `add check ${change.check.name} on ${displayName(change.table)}: ${change.check.expression}`;
    case 'DropCheck': return `drop check ${change.check.name} on ${displayName(change.table)}`;
    case 'CreateIndex': {
      const keys = change.index.keys.map((k) => k.column ?? k.expression).join(', ');
      return `create ${change.index.unique ? 'unique ' : ''}index ${change.index.name} on ${displayName(change.table)} (${keys})`;
    }
    case 'DropIndex': return `drop index ${change.index.name} on ${displayName(change.table)}`;
    default: return assertNever(change);
  }
}

/** Lower-case words joined by `_`, safe in a file name. */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug.slice(0, maxLength).replace(/_+$/, '') || 'migration';
}

export function changeSlug(change: Change): string {
  const t = (name: QualifiedName) => name.name;
  if (isObjectChange(change)) return objectChangeSlug(change);
  switch (change.kind) {
    case 'CreateSchema': return `create_schema_${change.schema}`;
    case 'DropSchema': return `drop_schema_${change.schema}`;
    case 'CreateExtension': return `create_extension_${change.extension}`;
    case 'DropExtension': return `drop_extension_${change.extension}`;
    case 'CreateEnum': return `create_${change.enumType.name}`;
    case 'DropEnum': return `drop_${change.enumType.name}`;
    case 'AddEnumValue': return `add_${change.enumType.name}_${change.value}`;
    case 'RebuildEnum': return `rebuild_${change.to.name}`;
    case 'CreateTable': return `create_${t(change.table)}`;
    case 'DropTable': return `drop_${t(change.table)}`;
    case 'RenameTable': return `rename_${t(change.from)}_to_${change.to.name}`;
    case 'AddColumn': return `add_${t(change.table)}_${change.column.name}`;
    case 'DropColumn': return `drop_${t(change.table)}_${change.column.name}`;
    case 'RenameColumn': return `rename_${t(change.table)}_${change.from.name}_to_${change.to.name}`;
    case 'AlterColumnType': return `alter_${t(change.table)}_${change.to.name}_type`;
    case 'AlterColumnIdentity': return `alter_${t(change.table)}_${change.to.name}_identity`;
    case 'SetNotNull': return `set_${t(change.table)}_${change.column.name}_not_null`;
    case 'DropNotNull': return `drop_${t(change.table)}_${change.column.name}_not_null`;
    case 'SetDefault': return `alter_${t(change.table)}_${change.columnName}_default`;
    case 'SetColumnComment': return `comment_${t(change.table)}_${change.columnName}`;
    case 'SetTableComment': return `comment_${t(change.table)}`;
    case 'AddPrimaryKey': return `add_${t(change.table)}_pkey`;
    case 'DropPrimaryKey': return `drop_${t(change.table)}_pkey`;
    case 'AddUnique': return `add_${t(change.table)}_${change.unique.columns.join('_')}_unique`;
    case 'DropUnique': return `drop_${t(change.table)}_${change.unique.columns.join('_')}_unique`;
    case 'AddForeignKey': return `add_${t(change.table)}_${change.foreignKey.columns.join('_')}_fkey`;
    case 'DropForeignKey': return `drop_${t(change.table)}_${change.foreignKey.columns.join('_')}_fkey`;
    case 'AddCheck': return `add_${t(change.table)}_check`;
    case 'DropCheck': return `drop_${t(change.table)}_check`;
    case 'CreateIndex': return `index_${t(change.table)}_${change.index.keys.map((k) => k.column ?? 'expr').join('_')}`;
    case 'DropIndex': return `drop_index_${t(change.table)}_${change.index.keys.map((k) => k.column ?? 'expr').join('_')}`;
    default: return assertNever(change);
  }
}

/** Exclusions, generation expressions, views (src/diff/object-change.ts). */
function describeObjectChange(change: ObjectChange): string {
  const view = (v: { readonly materialized: boolean }) => (v.materialized ? 'materialized view' : 'view');
  switch (change.kind) {
    case 'AddExclusion': return `add exclusion ${change.exclusion.name} on ${displayName(change.table)}: EXCLUDE ${change.exclusion.given ?? change.exclusion.expression}`;
    case 'DropExclusion': return `drop exclusion ${change.exclusion.name} on ${displayName(change.table)}`;
    case 'AlterColumnGenerated': {
      const column = `${displayName(change.table)}.${change.to.name}`;
      if (!change.to.generated) return `make ${column} an ordinary column (drop its generation expression)`;
      return `${change.from.generated ? 'change the generation expression of' : 'make generated'} ${column}: ${change.to.generated.given ?? change.to.generated.expression}`;
    }
    case 'CreateView': return `create ${view(change.view)} ${displayName(change.view)}`;
    case 'DropView': {
      const why = change.reason === 'dependency' ? ' (re-created after the changes under it)' : change.reason === 'redefined' ? ' (re-created with its new definition)' : '';
      return `drop ${view(change.view)} ${displayName(change.view)}${why}`;
    }
    case 'ReplaceView': return `replace view ${displayName(change.to)} (CREATE OR REPLACE)`;
  }
}

function objectChangeSlug(change: ObjectChange): string {
  switch (change.kind) {
    case 'AddExclusion': return `add_${change.table.name}_exclusion`;
    case 'DropExclusion': return `drop_${change.table.name}_exclusion`;
    case 'AlterColumnGenerated': return `alter_${change.table.name}_${change.to.name}_generated`;
    case 'CreateView': return `create_view_${change.view.name}`;
    case 'DropView': return `drop_view_${change.view.name}`;
    case 'ReplaceView': return `replace_view_${change.to.name}`;
  }
}
