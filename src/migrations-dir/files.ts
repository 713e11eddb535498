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

export interface ReadOptions {
  /** Read a missing folder as an empty one (`gen diff --create-dir`, which then creates it). */
  readonly missingIsEmpty?: boolean;
}

const CREATE_HINT = 'pass the migrations folder with -d <folder> (default: migrations); to start a new project, create it with `pgshift gen diff --create-dir`';

/**
 * True when `dir` is a folder; false when it is missing and that may read as empty. Shared by both folder
 * formats, so a typo in `-d` is an error whichever format the project uses.
 */
export function migrationsFolderExists(dir: string, options: ReadOptions = {}): boolean {
  if (!existsSync(dir)) {
    if (options.missingIsEmpty) return false;
    throw new PgshiftError('MIGRATIONS_DIR', `migrations folder not found: ${dir}`, { hint: CREATE_HINT });
  }
  if (!statSync(dir).isDirectory()) {
    throw new PgshiftError('MIGRATIONS_DIR', `${dir} is not a directory`, { hint: 'pass the migrations folder with --dir' });
  }
  return true;
}

/** Whether the folder holds any golang-migrate file, without judging the rest (format detection). */
export function hasMigrationFiles(dir: string): boolean {
  return migrationsFolderExists(dir, { missingIsEmpty: true }) && readdirSync(dir).some((name) => FILE_PATTERN.test(name));
}

/**
 * Migrations sorted by version. A missing folder is an error (a typo must never read as "no migrations"
 * and yield a full init migration), and so is a file that looks like a migration but is misnamed.
 */
export function readMigrationsDir(dir: string, options: ReadOptions = {}): Migration[] {
  if (!migrationsFolderExists(dir, options)) return [];
  const fileNames = readdirSync(dir).filter((name) => !statSync(join(dir, name)).isDirectory()).sort();
  const migrations = pairByVersion(dir, fileNames);
  refuseMisnamed([...fileNames.flatMap((name) => misnamedReason(name)), ...unpaired(migrations)], dir);
  return migrations;
}

function pairByVersion(dir: string, fileNames: readonly string[]): Migration[] {
  const byVersion = new Map<number, { title: string; up: MigrationFile | null; down: MigrationFile | null }>();
  for (const fileName of fileNames) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match || match[4] !== 'sql') continue;
    const version = Number(match[1]);
    if (!Number.isSafeInteger(version)) {
      throw new PgshiftError('MIGRATIONS_DIR', `${fileName}: version ${match[1]} is too large`, { hint: 'versions are whole numbers, e.g. 000007 or a 14-digit timestamp' });
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

/** Files that belong in a migrations folder without being migrations. */
const LEGIT = [/^pgshift-contract\.json$/, /^(readme|changelog|notes?|license)(\.[a-z0-9]+)?$/i, /^\./];

/**
 * Why a file looks like a migration but is not one golang-migrate and pgshift would both run, if so:
 * a `.sql` file, an `.up.`/`.down.` file or a file that starts with a version, that fails the pattern.
 */
function misnamedReason(fileName: string): string[] {
  if (LEGIT.some((pattern) => pattern.test(fileName))) return [];
  const match = FILE_PATTERN.exec(fileName);
  if (match) return match[4] === 'sql' ? [] : [`${fileName}: only .sql migrations are read (golang-migrate would run this one)`];
  const looksLikeMigration = /\.sql$/i.test(fileName) || /\.(up|down)\./i.test(fileName) || /^\d/.test(fileName);
  if (!looksLikeMigration) return [];
  if (/\.(up|down)\.sql$/i.test(fileName) && !/\.(up|down)\.sql$/.test(fileName)) return [`${fileName}: write .up.sql / .down.sql in lower case`];
  if (/^\d+[^\d_]/.test(fileName)) return [`${fileName}: the version must be followed by "_" (<version>_<title>.up.sql)`];
  if (!/^\d/.test(fileName)) return [`${fileName}: no version number in front (<version>_<title>.up.sql)`];
  return [`${fileName}: not <version>_<title>.up.sql or .down.sql`];
}

/** Every up needs its down (pgshift's rule: a migration can always be reverted), and a down its up. */
function unpaired(migrations: readonly Migration[]): string[] {
  return migrations.flatMap((m) => {
    if (!m.up) return [`${m.down!.fileName}: no ${m.down!.fileName.replace(/\.down\.sql$/, '.up.sql')} beside it`];
    if (!m.down) return [`${m.up.fileName}: no ${m.up.fileName.replace(/\.up\.sql$/, '.down.sql')} beside it (every up needs a down)`];
    return [];
  });
}

function refuseMisnamed(problems: readonly string[], dir: string): void {
  if (problems.length === 0) return;
  const lines = problems.map((problem) => `\n  ${problem}`).join('');
  throw new PgshiftError('MIGRATIONS_DIR', `${problems.length} misnamed file${problems.length === 1 ? '' : 's'} in ${dir}:${lines}`, {
    hint: 'name migrations <version>_<title>.up.sql and <version>_<title>.down.sql (e.g. 000007_add_avatar.up.sql), or move other files out of the folder',
  });
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
