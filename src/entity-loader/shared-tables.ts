/**
 * Two entity classes on one table: TypeORM's synchronize creates the table from one of them, and the
 * other's columns vanish from the plan without a word. pgshift refuses, naming both classes and files.
 * Tables TypeORM does not synchronize (views, `synchronize: false`, single-table-inheritance children)
 * may share a name: that is how a read model over an existing table is declared.
 */
import { relative } from 'node:path';
import type { DataSource, EntityMetadata } from 'typeorm';
import { PgshiftError } from '../errors';
import { truncateIdentifier } from '../model/names';
import { defaultSchemaOf } from './map-model';
import { fileDefiningClass } from './require-hook';

function describeEntity(metadata: EntityMetadata, cwd: string): string {
  const file = fileDefiningClass(metadata.target);
  return `${metadata.name}${file ? ` (${relative(cwd, file) || file})` : ''}`;
}

export function refuseSharedTables(dataSource: DataSource, cwd: string): void {
  const defaultSchema = defaultSchemaOf(dataSource);
  const byTable = new Map<string, EntityMetadata>();
  for (const metadata of dataSource.entityMetadatas) {
    if (!metadata.synchronize || metadata.tableType === 'entity-child' || metadata.tableType === 'view') continue;
    const table = `${truncateIdentifier(metadata.schema ?? defaultSchema)}.${truncateIdentifier(metadata.tableName)}`;
    const first = byTable.get(table);
    if (!first) {
      byTable.set(table, metadata);
      continue;
    }
    throw new PgshiftError('ENTITY', `two entities on table ${table}: ${describeEntity(first, cwd)} and ${describeEntity(metadata, cwd)}`, {
      hint: "give one of them another table name, or mark the extra one `@Entity({ name: '…', synchronize: false })`",
    });
  }
}
