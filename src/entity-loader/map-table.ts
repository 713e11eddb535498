/**
 * One entity's EntityMetadata → one model Table, the way `synchronize` creates it. TypeORM's own
 * `Table.create` / `TableForeignKey.create` do the metadata → table step (normalized types, defaults,
 * index and constraint lists), and the naming strategy receives the very `Table` object it gets in
 * PostgresQueryRunner.createTableSql, so custom strategies see what they see under TypeORM.
 */
import type { DataSource, EntityMetadata } from 'typeorm';
import type { Table as TypeormTable } from 'typeorm/schema-builder/table/Table';
import type {
  CheckConstraint, Deferrable, EnumType, ExclusionConstraint, ForeignKey, Index, PrimaryKey, QualifiedName, ReferentialAction, Table,
  UniqueConstraint,
} from '../model/schema';
import { truncateIdentifier } from '../model/names';
import { mapColumn } from './map-column';
import { byName } from './sort';
import { runtimeOf } from './typeorm-runtime';

export interface MappedTable {
  readonly table: Table;
  readonly enums: readonly EnumType[];
}

function deferrable(value: string | undefined): Deferrable {
  const text = (value ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (text === 'initially deferred') return 'initially deferred';
  if (text === 'initially immediate') return 'initially immediate';
  return 'not deferrable';
}

function referentialAction(value: string | undefined): ReferentialAction {
  switch ((value ?? 'NO ACTION').toUpperCase()) {
    case 'CASCADE': return 'CASCADE';
    case 'RESTRICT': return 'RESTRICT';
    case 'SET NULL': return 'SET NULL';
    // TypeORM's OnDeleteType says "DEFAULT"; the SQL it means is SET DEFAULT.
    case 'DEFAULT':
    case 'SET DEFAULT': return 'SET DEFAULT';
    default: return 'NO ACTION';
  }
}

const names = (columns: readonly string[]): string[] => columns.map(truncateIdentifier);

export function qualifiedNameOf(metadata: EntityMetadata, defaultSchema: string): QualifiedName {
  return { schema: truncateIdentifier(metadata.schema ?? defaultSchema), name: truncateIdentifier(metadata.tableName) };
}

function primaryKeyOf(table: TypeormTable, dataSource: DataSource): PrimaryKey | null {
  const primary = table.columns.filter((column) => column.isPrimary);
  if (primary.length === 0) return null;
  const columns = primary.map((column) => column.name);
  const name = primary[0]!.primaryKeyConstraintName ?? dataSource.namingStrategy.primaryKeyName(table, columns);
  return { name: truncateIdentifier(name), columns: names(columns) };
}

/** Declared uniques, plus the one createTableSql adds for an `isUnique` column that has none. */
function uniquesOf(table: TypeormTable, dataSource: DataSource): UniqueConstraint[] {
  const uniques = table.uniques.map((unique) => ({
    name: unique.name ?? dataSource.namingStrategy.uniqueConstraintName(table, unique.columnNames),
    columns: unique.columnNames,
    deferrable: unique.deferrable,
  }));
  for (const column of table.columns.filter((c) => c.isUnique)) {
    const covered = table.uniques.some((u) => u.columnNames.length === 1 && u.columnNames[0] === column.name);
    if (!covered) {
      uniques.push({
        name: dataSource.namingStrategy.uniqueConstraintName(table, [column.name]),
        columns: [column.name],
        deferrable: undefined,
      });
    }
  }
  return uniques.map((u) => ({ name: truncateIdentifier(u.name), columns: names(u.columns), deferrable: deferrable(u.deferrable) }));
}

function checksOf(table: TypeormTable, dataSource: DataSource): CheckConstraint[] {
  return table.checks.map((check) => ({
    name: truncateIdentifier(check.name ?? dataSource.namingStrategy.checkConstraintName(table, check.expression!)),
    expression: check.expression!,
  }));
}

/** createTableSql: `CONSTRAINT "name" EXCLUDE <expression>[ DEFERRABLE <deferrable>]`. */
export function exclusionText(exclusion: { readonly expression?: string; readonly deferrable?: string | undefined }): string {
  return exclusion.expression! + (exclusion.deferrable ? ` DEFERRABLE ${exclusion.deferrable}` : '');
}

function exclusionsOf(table: TypeormTable, dataSource: DataSource): ExclusionConstraint[] {
  return table.exclusions.map((exclusion) => ({
    name: truncateIdentifier(exclusion.name ?? dataSource.namingStrategy.exclusionConstraintName(table, exclusion.expression!)),
    expression: exclusionText(exclusion),
  }));
}

function indexesOf(table: TypeormTable, dataSource: DataSource): Index[] {
  return table.indices.map((index) => ({
    name: truncateIdentifier(index.name ?? dataSource.namingStrategy.indexName(table, index.columnNames, index.where)),
    keys: index.columnNames.map((column) => ({
      column: truncateIdentifier(column), expression: null, descending: false, nullsNotDefault: false,
    })),
    unique: index.isUnique === true,
    // PostgresQueryRunner.buildIndexTypeClause: spatial means gist; no type means the default, btree.
    method: index.isSpatial ? 'gist' : (index.type ?? 'btree').toLowerCase(),
    where: index.where ? index.where : null,
  }));
}

function foreignKeysOf(metadata: EntityMetadata, table: TypeormTable, dataSource: DataSource, defaultSchema: string): ForeignKey[] {
  return metadata.foreignKeys.map((metadataKey) => {
    const key = runtimeOf(dataSource).TableForeignKey.create(metadataKey, dataSource.driver);
    const name = key.name ?? dataSource.namingStrategy.foreignKeyName(table, key.columnNames, key.referencedTableName, key.referencedColumnNames);
    return {
      name: truncateIdentifier(name),
      columns: names(key.columnNames),
      referencedTable: qualifiedNameOf(metadataKey.referencedEntityMetadata, defaultSchema),
      referencedColumns: names(key.referencedColumnNames),
      onDelete: referentialAction(key.onDelete),
      onUpdate: referentialAction(key.onUpdate),
      deferrable: deferrable(key.deferrable),
    };
  });
}

function tableComment(comment: string | undefined): string | null {
  const text = (comment ?? '').replaceAll('\u0000', '');
  return text === '' ? null : text;
}

/** PostgresDriver.uuidGenerator: the function a `uuid` generated column defaults to. */
export function uuidGeneratorOf(dataSource: DataSource): string {
  return uuidExtensionOf(dataSource) === 'pgcrypto' ? 'gen_random_uuid()' : 'uuid_generate_v4()';
}

export function uuidExtensionOf(dataSource: DataSource): string {
  return (dataSource.options as { uuidExtension?: string }).uuidExtension ?? 'uuid-ossp';
}

export function mapTable(metadata: EntityMetadata, dataSource: DataSource, defaultSchema: string): MappedTable {
  const table = runtimeOf(dataSource).Table.create(metadata, dataSource.driver);
  const name = qualifiedNameOf(metadata, defaultSchema);
  const uuidGenerator = uuidGeneratorOf(dataSource);
  // Table.create made one TableColumn per non-virtual column, in order.
  const declared = metadata.columns.filter((column) => column && !column.isVirtualProperty);
  const mapped = table.columns.map((column, i) => mapColumn(column, declared[i]?.default, { table: { schema: name.schema, name: metadata.tableName }, uuidGenerator }));
  const exclusions = exclusionsOf(table, dataSource).sort(byName);
  return {
    table: {
      ...name,
      columns: mapped.map((m) => m.column),
      primaryKey: primaryKeyOf(table, dataSource),
      uniques: uniquesOf(table, dataSource).sort(byName),
      foreignKeys: foreignKeysOf(metadata, table, dataSource, defaultSchema).sort(byName),
      checks: checksOf(table, dataSource).sort(byName),
      indexes: indexesOf(table, dataSource).sort(byName),
      comment: tableComment(metadata.comment),
      ...(exclusions.length > 0 ? { exclusions } : {}),
    },
    enums: mapped.flatMap((m) => (m.enumType ? [m.enumType] : [])),
  };
}
