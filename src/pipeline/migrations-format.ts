/**
 * Which kind of migrations a project keeps: golang-migrate SQL pairs (`sql`, the default) or TypeORM
 * migration classes (`typeorm`). From `--format typeorm`, else the project setting — `"pgshift":
 * { "format": "typeorm" }` in the package.json nearest above the TypeORM config (the same section the
 * target-version setting uses) — else what the folder holds (only TypeORM classes → typeorm).
 */
import { PgshiftError } from '../errors';
import { hasMigrationFiles } from '../migrations-dir/files';
import { readTypeormMigrationsDir } from '../migrations-dir/typeorm-files';
import { projectSetting } from './project-setting';

export type MigrationsFormat = 'sql' | 'typeorm';

export function resolveMigrationsFormat(input: { flag?: string | undefined; configPath: string; dir: string }): MigrationsFormat {
  if (input.flag === 'typeorm') return 'typeorm';
  if (input.flag === 'sql') return 'sql';
  const setting = projectSetting(input.configPath, 'format');
  if (setting) {
    if (setting.value === 'typeorm' || setting.value === 'sql') return setting.value;
    throw new PgshiftError('CONFIG', `"pgshift.format" in ${setting.path} is ${JSON.stringify(setting.value)}`, { hint: 'use "sql" (golang-migrate files) or "typeorm" (TypeORM migration classes)' });
  }
  // Detection only: a missing folder or a misnamed file is reported by the reader that runs next, with its hint.
  return readTypeormMigrationsDir(input.dir, { missingIsEmpty: true }).length > 0 && !hasMigrationFiles(input.dir) ? 'typeorm' : 'sql';
}
