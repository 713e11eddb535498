/**
 * A folder of TypeORM migration classes, named as TypeORM's CLI names them: `<13-digit timestamp>-<Name>.ts`
 * (TypeORM orders migrations by the last 13 digits of the class name, which pgshift's classes share).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolderExists, type ReadOptions } from './files';

const CLASS_FILE = /^(\d{13})-([A-Za-z0-9_]+)\.(ts|js)$/;

export interface TypeormMigrationFile {
  readonly timestamp: number;
  readonly name: string;
  readonly path: string;
  readonly fileName: string;
}

/** The folder's class files, oldest first. A missing folder is an error, as for SQL folders, unless `missingIsEmpty`. */
export function readTypeormMigrationsDir(dir: string, options: ReadOptions = {}): TypeormMigrationFile[] {
  if (!migrationsFolderExists(dir, options)) return [];
  return readdirSync(dir)
    .filter((fileName) => !fileName.endsWith('.d.ts'))
    .flatMap((fileName) => {
      const match = CLASS_FILE.exec(fileName);
      return match ? [{ timestamp: Number(match[1]), name: match[2]!, path: join(dir, fileName), fileName }] : [];
    })
    .sort((a, b) => a.timestamp - b.timestamp || (a.fileName < b.fileName ? -1 : 1));
}

export function latestTimestamp(files: readonly TypeormMigrationFile[]): number | null {
  return files.length === 0 ? null : files[files.length - 1]!.timestamp;
}
