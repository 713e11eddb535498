/**
 * `@ViewEntity` metadata → model views, the way RdbmsSchemaBuilder creates them: `CREATE [MATERIALIZED]
 * VIEW <name> AS <expression>` (PostgresQueryRunner.createViewSql), then a materialized view's `@Index`es
 * (createViewIndexSql, named as TypeORM's metadata names them). The expression stays raw here: the
 * server cooks it later (src/catalog/cook-model.ts), and DDL writes it as given.
 */
import type { DataSource, EntityMetadata } from 'typeorm';
import type { Index, QualifiedName, View } from '../model/schema';
import { truncateIdentifier } from '../model/names';
import { qualifiedNameOf } from './map-table';
import { bySchemaThenName, byName } from './sort';

/** RdbmsSchemaBuilder.viewEntityToSyncMetadatas. */
export function viewsToSync(dataSource: DataSource): EntityMetadata[] {
  return dataSource.entityMetadatas.filter((m) => m.tableType === 'view' && m.synchronize);
}

/** The query text TypeORM sends: a string as it is, a query-builder function's SQL. */
export function viewExpression(metadata: EntityMetadata, dataSource: DataSource): string {
  const expression = metadata.expression;
  if (typeof expression === 'string') return expression;
  if (typeof expression === 'function') return expression(dataSource).getQuery();
  return '';
}

function viewIndexes(metadata: EntityMetadata): Index[] {
  return metadata.indices
    .filter((index) => index.synchronize !== false)
    .map((index) => ({
      name: truncateIdentifier(index.name),
      keys: index.columns.map((column) => ({
        column: truncateIdentifier(column.databaseName), expression: null, descending: false, nullsNotDefault: false,
      })),
      unique: index.isUnique === true,
      method: index.isSpatial ? 'gist' : (index.type ?? 'btree').toLowerCase(),
      where: index.where ? index.where : null,
    }))
    .sort(byName);
}

/** `dependsOn` names entity classes or view names; the ones that resolve to views of this set. */
function dependsOnOf(metadata: EntityMetadata, dataSource: DataSource, defaultSchema: string): QualifiedName[] {
  const out: QualifiedName[] = [];
  for (const dependency of metadata.dependsOn ?? []) {
    const target = dataSource.entityMetadatas.find((m) => m.target === dependency || m.name === dependency || m.tableName === dependency);
    if (target && target.tableType === 'view') out.push(qualifiedNameOf(target, defaultSchema));
  }
  return out.sort(bySchemaThenName);
}

export function mapView(metadata: EntityMetadata, dataSource: DataSource, defaultSchema: string): View {
  const materialized = metadata.tableMetadataArgs.materialized === true;
  const dependsOn = dependsOnOf(metadata, dataSource, defaultSchema);
  return {
    ...qualifiedNameOf(metadata, defaultSchema),
    materialized,
    definition: viewExpression(metadata, dataSource),
    columns: [],
    reads: [],
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
    // Only a materialized view can have indexes; TypeORM skips them on a plain one.
    indexes: materialized ? viewIndexes(metadata) : [],
  };
}
