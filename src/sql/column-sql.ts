/** Column types and definitions as SQL. */
import { checkSource, type Column, type Index, type IndexKey, type QualifiedName, type Table, type Deferrable, type ForeignKey } from '../model/schema';
import { accessMethod, ident, identList, qualified } from './quote';

const SERIAL_TYPES: Record<string, string> = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial' };

/** The column's type as the catalog prints it (`character varying(255)`), for human words. */
export function declaredType(column: Pick<Column, 'dataType' | 'enumType' | 'isArray'>): string {
  const element = column.enumType ? qualified(column.enumType) : column.dataType;
  return column.isArray ? `${element}[]` : element;
}

/**
 * The column's type as SQL, e.g. `varchar(255)`, `"public"."role_enum"[]`. `character varying` is spelled
 * `varchar` (the same type): squawk 2.61 reads `character varying` as `character` and flags it as char.
 */
export function columnType(column: Pick<Column, 'dataType' | 'enumType' | 'isArray'>): string {
  const element = column.enumType ? qualified(column.enumType) : column.dataType.replace(/^character varying\b/, 'varchar');
  return column.isArray ? `${element}[]` : element;
}

export function columnDefinition(column: Column): string {
  const parts = [ident(column.name)];
  if (column.serial && !column.isArray && SERIAL_TYPES[column.dataType]) {
    parts.push(SERIAL_TYPES[column.dataType]!);
  } else {
    parts.push(columnType(column));
  }
  if (column.identity) parts.push(`GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (!column.nullable) parts.push('NOT NULL');
  if (column.default !== null && !column.serial && !column.identity) parts.push(`DEFAULT ${column.default}`);
  return parts.join(' ');
}

export function deferrableClause(deferrable: Deferrable): string {
  switch (deferrable) {
    case 'not deferrable': return '';
    case 'initially immediate': return ' DEFERRABLE INITIALLY IMMEDIATE';
    case 'initially deferred': return ' DEFERRABLE INITIALLY DEFERRED';
  }
}

export function foreignKeyClause(fk: ForeignKey): string {
  let sql = `FOREIGN KEY (${identList(fk.columns)}) REFERENCES ${qualified(fk.referencedTable)} (${identList(fk.referencedColumns)})`;
  if (fk.onDelete !== 'NO ACTION') sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== 'NO ACTION') sql += ` ON UPDATE ${fk.onUpdate}`;
  return sql + deferrableClause(fk.deferrable);
}

function indexKey(key: IndexKey): string {
  let sql = key.column !== null ? ident(key.column) : `(${key.expression})`;
  if (key.descending) sql += ' DESC';
  if (key.nullsNotDefault) sql += key.descending ? ' NULLS LAST' : ' NULLS FIRST';
  return sql;
}

export function createIndexSql(table: QualifiedName, index: Index, concurrently: boolean): string {
  const unique = index.unique ? 'UNIQUE ' : '';
  const conc = concurrently ? 'CONCURRENTLY ' : '';
  const using = index.method === 'btree' ? '' : ` USING ${accessMethod(index.method)}`;
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE ${unique}INDEX ${conc}${ident(index.name)} ON ${qualified(table)}${using} (${index.keys.map(indexKey).join(', ')})${where}`;
}

/** CREATE TABLE with its columns, primary key, uniques and checks (foreign keys are separate changes). */
export function createTableSql(table: Table): string {
  const lines = table.columns.map(columnDefinition);
  if (table.primaryKey) lines.push(`CONSTRAINT ${ident(table.primaryKey.name)} PRIMARY KEY (${identList(table.primaryKey.columns)})`);
  for (const unique of table.uniques) {
    lines.push(`CONSTRAINT ${ident(unique.name)} UNIQUE (${identList(unique.columns)})${deferrableClause(unique.deferrable)}`);
  }
  for (const check of table.checks) lines.push(`CONSTRAINT ${ident(check.name)} CHECK (${checkSource(check)})`);
  return `CREATE TABLE ${qualified(table)} (\n  ${lines.join(',\n  ')}\n)`;
}
