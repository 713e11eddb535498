/**
 * The entity model for a sync, and the files it came from — what `--watch` must watch. The loader drops
 * the project's modules from the require cache after each load (so the next load sees edits), so the
 * files are found through the classes instead: the file that exported each entity, each base class in
 * its inheritance chain and each embedded class.
 */
import { dirname } from 'node:path';
import type { EntityMetadata } from 'typeorm';
import { loadDataSource, mapMetadataToModel } from '../entity-loader';
import { fileDefiningClass } from '../entity-loader/require-hook';
import type { SchemaModel } from '../model/schema';

export interface SyncEntities {
  readonly model: SchemaModel;
  /** Absolute paths: the config file and the files that defined the entity classes. */
  readonly files: readonly string[];
}

function classesOf(metadata: EntityMetadata): unknown[] {
  const embedded = metadata.allEmbeddeds.map((e) => e.type);
  return [metadata.target, ...metadata.inheritanceTree, ...embedded];
}

export async function loadSyncEntities(configPath: string, cwd: string): Promise<SyncEntities> {
  const { dataSource, configPath: path } = await loadDataSource(configPath, { cwd });
  const files = new Set<string>([path]);
  for (const metadata of dataSource.entityMetadatas) {
    for (const cls of classesOf(metadata)) {
      const file = fileDefiningClass(cls);
      if (file) files.add(file);
    }
  }
  return { model: mapMetadataToModel(dataSource), files: [...files] };
}

/** The folders to watch: the config file's and every folder an entity file is in. */
export function watchedFolders(configPath: string, files: readonly string[]): string[] {
  return [...new Set([dirname(configPath), ...files.map((f) => dirname(f))])].sort();
}
