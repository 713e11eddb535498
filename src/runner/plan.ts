/**
 * Which files to run, in which order, and the version each step writes — golang-migrate's `readUp`,
 * `readDown` and `read` (migrate.go), as a pure function of the folder and the database's version.
 * The folder alone decides "next" and "previous": a down from 5 writes the folder's version before 5,
 * or -1 when 5 is the first.
 */
import { PgshiftError } from '../errors';
import type { Migration, MigrationFile } from '../migrations-dir/files';
import { NIL_VERSION } from '../db/version-table';

export type Direction = 'up' | 'down';

export interface PlannedStep {
  readonly version: number;
  readonly direction: Direction;
  readonly file: MigrationFile;
  /** The version schema_migrations holds after this step (golang-migrate's TargetVersion). */
  readonly targetVersion: number;
  /** The version the database is at before this step: where a rolled-back failure leaves it. */
  readonly fromVersion: number;
}

export type Request =
  | { readonly kind: 'up'; readonly limit: number | null }
  | { readonly kind: 'down'; readonly limit: number | null }
  | { readonly kind: 'goto'; readonly version: number };

export interface Plan {
  readonly steps: readonly PlannedStep[];
  /** Set when fewer steps exist than asked for (`up 5` with 3 pending). */
  readonly shortBy: number;
}

export function planSteps(migrations: readonly Migration[], current: number, request: Request): Plan {
  switch (request.kind) {
    case 'up':
      return limited((n) => upSteps(migrations, current, Number.POSITIVE_INFINITY, n), request.limit);
    case 'down':
      return limited((n) => downSteps(migrations, current, NIL_VERSION, n), request.limit);
    case 'goto': {
      if (!migrations.some((m) => m.version === request.version)) {
        throw new PgshiftError('USAGE', `no migration with version ${request.version} in the migrations folder`, {
          hint: 'goto takes a version that has a file (pgshift status lists them)',
        });
      }
      const steps = request.version >= current ? upSteps(migrations, current, request.version) : downSteps(migrations, current, request.version);
      return { steps, shortBy: 0 };
    }
  }
}

/** Only the steps within the limit need their files: `up 1` must not fail on a later version's stray file. */
function limited(steps: (limit: number) => PlannedStep[], limit: number | null): Plan {
  const selected = steps(limit ?? Number.POSITIVE_INFINITY);
  return { steps: selected, shortBy: limit === null ? 0 : Math.max(0, limit - selected.length) };
}

function upSteps(migrations: readonly Migration[], current: number, to: number, limit = Number.POSITIVE_INFINITY): PlannedStep[] {
  let from = current;
  return migrations
    .filter((m) => m.version > current && m.version <= to)
    .slice(0, limit)
    .map((m) => {
      const step = { version: m.version, direction: 'up' as const, file: requireFile(m, 'up'), targetVersion: m.version, fromVersion: from };
      from = m.version;
      return step;
    });
}

function downSteps(migrations: readonly Migration[], current: number, to: number, limit = Number.POSITIVE_INFINITY): PlannedStep[] {
  if (current === NIL_VERSION) return [];
  if (!migrations.some((m) => m.version === current)) {
    throw new PgshiftError('EDITED', `the database is at version ${current}, which has no file in the migrations folder, so it cannot be reverted`, {
      hint: 'restore the missing migration files (git log -- migrations/), or run `pgshift force V` with the version the database really is at',
    });
  }
  const below = migrations.filter((m) => m.version <= current && m.version > to).reverse().slice(0, limit);
  return below.map((m) => {
    const index = migrations.indexOf(m);
    const previous = index > 0 ? migrations[index - 1]!.version : NIL_VERSION;
    return { version: m.version, direction: 'down' as const, file: requireFile(m, 'down'), targetVersion: previous, fromVersion: m.version };
  });
}

function requireFile(migration: Migration, direction: Direction): MigrationFile {
  const file = migration[direction];
  if (file) return file;
  const other = migration[direction === 'up' ? 'down' : 'up'];
  throw new PgshiftError('MIGRATIONS_DIR', `migration ${migration.version} has no ${direction} file${other ? ` (only ${other.fileName})` : ''}`, {
    hint:
      direction === 'down'
        ? 'write the down file before reverting it; golang-migrate would silently move the version without running anything'
        : 'add the up file, or remove the stray file',
  });
}
