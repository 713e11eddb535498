/**
 * TypeORM's entity metadata, built without a database. This is the entity half of the protected
 * `DataSource.buildMetadatas()` (which `initialize()` calls after connecting): the same builder and the
 * same validator, in the same order. The other half — instantiating subscribers and loading migration
 * classes — is left out on purpose: pgshift needs neither, and a config that still lists TypeORM's
 * `migrations/*.ts` would otherwise compile every one of them on each run.
 */
import { isAbsolute, resolve } from 'node:path';
import type { DataSource, EntityMetadata } from 'typeorm';
import { PgshiftError } from '../errors';
import { entityError } from './entity-errors';
import { withIndexedArgsStorage } from './indexed-args-storage';
import type { TypeormRuntime } from './typeorm-runtime';

/** Relative glob patterns are made absolute against `cwd`, as TypeORM would against process.cwd(). */
function absoluteEntityList(entities: readonly unknown[], cwd: string): unknown[] {
  return entities.map((entry) => (typeof entry === 'string' && !isAbsolute(entry) ? resolve(cwd, entry) : entry));
}

export async function buildMetadataOffline(
  dataSource: DataSource, typeorm: TypeormRuntime, cwd: string, configPath: string,
): Promise<void> {
  const listed = typeorm.ObjectUtils.mixedListToArray(dataSource.options.entities ?? []) as unknown[];
  const entities = absoluteEntityList(listed, cwd);
  let metadatas: EntityMetadata[];
  try {
    metadatas = await withIndexedArgsStorage(typeorm.getMetadataArgsStorage(), () =>
      new typeorm.ConnectionMetadataBuilder(dataSource).buildEntityMetadatas(entities as never));
    new typeorm.EntityMetadataValidator().validateMany(metadatas.filter((m) => m.tableType !== 'view'), dataSource.driver);
  } catch (error) {
    throw entityError(error, [...entities, ...typeorm.getMetadataArgsStorage().tables.map((t) => t.target)], cwd);
  }
  if (metadatas.length === 0) {
    const patterns = listed.filter((entry) => typeof entry === 'string');
    throw new PgshiftError('CONFIG', `${configPath} lists no entities${patterns.length ? ` (nothing matched ${patterns.join(', ')})` : ''}`, {
      hint: 'list the entity classes or glob patterns in `entities`; relative patterns are resolved from the current directory',
    });
  }
  // The same two properties buildMetadatas() sets; they are readonly in TypeORM's typings.
  Object.assign(dataSource, {
    entityMetadatas: metadatas,
    entityMetadatasMap: new Map(metadatas.map((metadata) => [metadata.target, metadata])),
  });
}
