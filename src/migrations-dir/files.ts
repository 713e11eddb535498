/**
 * Reading a golang-migrate folder: `<version>_<title>.<up|down>.sql`. Shared by the shadow replay, the
 * emitter (next version number) and the runner.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError } from '../errors';

/** golang-migrate's source/parse.go pattern. */
const FILE_PATTERN = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;

export interface MigrationFile {
  readonly version: number;
  readonly title: string;
  readonly path: string;
  readonly fileName: string;
}

export interface Migration {
  readonly version: number;
  readonly title: string;
  readonly up: MigrationFile | null;
  readonly down: MigrationFile | null;
}

/** Migrations sorted by version. A missing folder is an empty one. */
export function readMigrationsDir(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) {
    throw new PgshiftError('MIGRATIONS_DIR', `${dir} is not a directory`, { hint: 'pass the migrations folder with --dir' });
  }
  const byVersion = new Map<number, { title: string; up: MigrationFile | null; down: MigrationFile | null }>();
  for (const fileName of readdirSync(dir).sort()) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match || match[4] !== 'sql') continue;
    const version = Number(match[1]);
    if (!Number.isSafeInteger(version)) {
      throw new PgshiftError('MIGRATIONS_DIR', `${fileName}: version ${match[1]} is too large`);
    }
    const direction = match[3] as 'up' | 'down';
    const file: MigrationFile = { version, title: match[2]!, path: join(dir, fileName), fileName };
    const entry = byVersion.get(version) ?? { title: file.title, up: null, down: null };
    if (entry[direction]) {
      throw new PgshiftError('MIGRATIONS_DIR', `two ${direction} migrations with version ${version}: ${entry[direction]!.fileName} and ${fileName}`, {
        hint: 'every version must be unique in the migrations folder; renumber one of them',
      });
    }
    entry[direction] = file;
    byVersion.set(version, entry);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, entry]) => ({ version, ...entry }));
}

export function latestVersion(migrations: readonly Migration[]): number | null {
  return migrations.length === 0 ? null : migrations[migrations.length - 1]!.version;
}

export function readMigrationText(file: MigrationFile): string {
  return readFileSync(file.path, 'utf8');
}

/**
 * Versions that more than one migration uses (`000007_a.up.sql` and `000007_b.up.sql`): what a merge of
 * two branches that each added a migration leaves. Unlike readMigrationsDir, does not throw, so `check`
 * can name every clash and exit 2.
 */
export function duplicateVersions(dir: string): Array<{ version: number; titles: string[] }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const titles = new Map<number, Set<string>>();
  for (const fileName of readdirSync(dir)) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match || match[4] !== 'sql') continue;
    const version = Number(match[1]);
    titles.set(version, (titles.get(version) ?? new Set()).add(`${match[1]}_${match[2]}`));
  }
  return [...titles.entries()].filter(([, set]) => set.size > 1).sort(([a], [b]) => a - b).map(([version, set]) => ({ version, titles: [...set].sort() }));
}
