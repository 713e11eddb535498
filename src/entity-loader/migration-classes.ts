/**
 * Loading a folder's TypeORM migration classes the way TypeORM's CLI would (TypeScript through the same
 * require hook as the entities), for the shadow replay of a TypeORM-format folder.
 */
import { dirname } from 'node:path';
import { PgshiftError } from '../errors';
import { requireFile, withTypeScriptLoader } from './require-hook';
import { TranspileCache, defaultCacheDir } from './transpile-cache';

export type MigrationClass = new () => { name?: string };

export async function loadMigrationClasses(paths: readonly string[]): Promise<MigrationClass[]> {
  if (paths.length === 0) return [];
  const cache = new TranspileCache(defaultCacheDir(dirname(paths[0]!)));
  return withTypeScriptLoader(cache, process.cwd(), async () =>
    paths.flatMap((path) => {
      let exported: unknown;
      try {
        exported = requireFile(path);
      } catch (error) {
        throw new PgshiftError('REPLAY', `${path}: ${(error as Error).message.split('\n')[0]}`, { hint: 'fix the migration class so that it loads under TypeORM too' });
      }
      const classes = Object.values(exported as Record<string, unknown>).filter((v): v is MigrationClass => typeof v === 'function');
      if (classes.length === 0) throw new PgshiftError('REPLAY', `${path} exports no migration class`, { hint: 'a TypeORM migration file exports its class' });
      return classes;
    }),
  );
}
