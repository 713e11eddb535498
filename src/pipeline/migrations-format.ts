/**
 * Which kind of migrations a project keeps: golang-migrate SQL pairs (`sql`, the default) or TypeORM
 * migration classes (`typeorm`). From `--format typeorm`, else the project setting — `"pgshift":
 * { "format": "typeorm" }` in the package.json nearest above the TypeORM config (the same section the
 * target-version setting uses) — else what the folder holds (only TypeORM classes → typeorm).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PgshiftError } from '../errors';
import { readMigrationsDir } from '../migrations-dir/files';
import { readTypeormMigrationsDir } from '../migrations-dir/typeorm-files';

export type MigrationsFormat = 'sql' | 'typeorm';

function projectSetting(configPath: string): { value: unknown; path: string } | undefined {
  for (let dir = dirname(configPath); ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      let parsed: { pgshift?: { format?: unknown } };
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8')) as typeof parsed;
      } catch {
        return undefined; // Not ours to judge; npm reports a broken package.json.
      }
      return parsed.pgshift?.format === undefined ? undefined : { value: parsed.pgshift.format, path };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function resolveMigrationsFormat(input: { flag?: string | undefined; configPath: string; dir: string }): MigrationsFormat {
  if (input.flag === 'typeorm') return 'typeorm';
  if (input.flag === 'sql') return 'sql';
  const setting = projectSetting(input.configPath);
  if (setting) {
    if (setting.value === 'typeorm' || setting.value === 'sql') return setting.value;
    throw new PgshiftError('CONFIG', `"pgshift.format" in ${setting.path} is ${JSON.stringify(setting.value)}`, { hint: 'use "sql" (golang-migrate files) or "typeorm" (TypeORM migration classes)' });
  }
  return readTypeormMigrationsDir(input.dir).length > 0 && readMigrationsDir(input.dir).length === 0 ? 'typeorm' : 'sql';
}
