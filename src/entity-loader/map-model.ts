/**
 * TypeORM's built metadata → the schema model, exactly as `synchronize` would create the schema
 * (RdbmsSchemaBuilder.createNewTables + PostgresDriver.afterConnect's extensions). Expressions stay raw,
 * as TypeORM writes them in DDL; a later step lets the server cook them.
 */
import type { DataSource, EntityMetadata } from 'typeorm';
import { DEFAULT_SCHEMA, qualifiedKey, type EnumType, type SchemaModel, type Table } from '../model/schema';
import { truncateIdentifier } from '../model/names';
import { mapTable, uuidExtensionOf } from './map-table';
import { mapView, viewsToSync } from './map-view';
import { bySchemaThenName, compareText } from './sort';

/** RdbmsSchemaBuilder.entityToSyncMetadatas: views, `synchronize: false` and STI children have no table of their own. */
function tablesToSync(dataSource: DataSource): EntityMetadata[] {
  return dataSource.entityMetadatas.filter((m) => m.synchronize && m.tableType !== 'entity-child' && m.tableType !== 'view');
}

/** PostgresDriver.checkMetadataForExtensions, plus the `extensions` option the DataSource asks for. */
function extensionsOf(dataSource: DataSource): string[] {
  const all = dataSource.entityMetadatas;
  const anyColumn = (test: (type: unknown) => boolean) => all.some((m) => m.columns.some((c) => test(c.type)));
  const found = new Set<string>();
  if (all.some((m) => m.generatedColumns.some((c) => c.generationStrategy === 'uuid'))) found.add(uuidExtensionOf(dataSource));
  if (anyColumn((t) => t === 'citext')) found.add('citext');
  if (anyColumn((t) => t === 'hstore')) found.add('hstore');
  if (anyColumn((t) => t === 'geometry' || t === 'geography')) found.add('postgis');
  if (anyColumn((t) => t === 'cube')) found.add('cube');
  if (anyColumn((t) => t === 'ltree')) found.add('ltree');
  if (anyColumn((t) => t === 'vector' || t === 'halfvec')) found.add('vector');
  if (all.some((m) => m.exclusions.length > 0)) found.add('btree_gist');
  for (const extension of (dataSource.options as { extensions?: string[] }).extensions ?? []) found.add(extension);
  return [...found].sort(compareText);
}

/** The schema tables live in when neither the entity nor the DataSource names one. */
export function defaultSchemaOf(dataSource: DataSource): string {
  return (dataSource.options as { schema?: string }).schema ?? DEFAULT_SCHEMA;
}

export function mapMetadataToModel(dataSource: DataSource): SchemaModel {
  const defaultSchema = defaultSchemaOf(dataSource);
  const tables = new Map<string, Table>();
  const enums = new Map<string, EnumType>();
  for (const metadata of tablesToSync(dataSource)) {
    const mapped = mapTable(metadata, dataSource, defaultSchema);
    const key = qualifiedKey(mapped.table);
    if (tables.has(key)) continue; // two entities on one table: TypeORM creates it once, from the first
    tables.set(key, mapped.table);
    // An enum type shared through `enumName` is created once, by the first table that uses it.
    for (const enumType of mapped.enums) if (!enums.has(qualifiedKey(enumType))) enums.set(qualifiedKey(enumType), enumType);
  }
  const views = viewsToSync(dataSource).map((metadata) => mapView(metadata, dataSource, defaultSchema)).sort(bySchemaThenName);
  const schemas = new Set<string>([DEFAULT_SCHEMA, truncateIdentifier(defaultSchema)]);
  for (const named of [...tables.values(), ...enums.values(), ...views]) schemas.add(named.schema);
  return {
    schemas: [...schemas].sort(compareText),
    extensions: extensionsOf(dataSource),
    enums: [...enums.values()].sort(bySchemaThenName),
    tables: [...tables.values()].sort(bySchemaThenName),
    ...(views.length > 0 ? { views } : {}),
  };
}
