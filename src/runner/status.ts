/**
 * The state of every migration: which are applied, pending, edited since they were applied, or
 * missing from the folder. Pure: the caller reads the folder and the database.
 *
 * "Applied" follows golang-migrate: every folder version up to the database's version. A checksum row
 * above the current version is stale (another tool went down without knowing about pgshift_migrations)
 * and is ignored; the next `up` overwrites it.
 */
import type { Migration } from '../migrations-dir/files';
import type { AppliedChecksum, DatabaseVersion } from '../db/version-table';

export type MigrationState =
  | 'applied'           // applied, checksum matches
  | 'checksum-unknown'  // applied, but by a tool that records no checksum (golang-migrate)
  | 'edited'            // applied, and the up file changed since
  | 'missing'           // applied, and its file is gone from the folder
  | 'dirty'             // the dirty version: its run was interrupted (FullStatus.dirty says what up does)
  | 'pending';

export interface MigrationStatusEntry {
  readonly version: number;
  /** The up file's name, or the recorded one for a missing file. */
  readonly name: string;
  readonly state: MigrationState;
  readonly appliedAt: Date | null;
}

export interface StatusReport {
  readonly version: DatabaseVersion;
  readonly entries: readonly MigrationStatusEntry[];
  /** Edited or missing applied migrations: `up` refuses to go on from here without --allow-edited. */
  readonly problems: readonly MigrationStatusEntry[];
}

export function computeStatus(
  migrations: readonly Migration[],
  version: DatabaseVersion,
  recorded: readonly AppliedChecksum[],
  fileChecksum: (migration: Migration) => string | null,
): StatusReport {
  const byVersion = new Map(recorded.map((r) => [r.version, r]));
  const entries: MigrationStatusEntry[] = [];
  for (const migration of migrations) {
    const name = migration.up?.fileName ?? migration.down?.fileName ?? `${migration.version}_${migration.title}`;
    const record = byVersion.get(migration.version);
    if (migration.version > version.version) {
      entries.push({ version: migration.version, name, state: 'pending', appliedAt: null });
      continue;
    }
    const actual = fileChecksum(migration);
    const state: MigrationState =
      version.dirty && migration.version === version.version && actual !== null
        ? 'dirty'
        : actual === null ? 'missing' : !record?.checksum ? 'checksum-unknown' : record.checksum === actual ? 'applied' : 'edited';
    entries.push({ version: migration.version, name, state, appliedAt: record?.appliedAt ?? null });
  }
  const inFolder = new Set(migrations.map((m) => m.version));
  for (const record of recorded) {
    if (record.version <= version.version && !inFolder.has(record.version)) {
      entries.push({ version: record.version, name: record.name ?? String(record.version), state: 'missing', appliedAt: record.appliedAt });
    }
  }
  // The current version itself must have a file: golang-migrate cannot move from a version it cannot find.
  if (version.version >= 0 && !inFolder.has(version.version) && !byVersion.has(version.version)) {
    entries.push({ version: version.version, name: String(version.version), state: 'missing', appliedAt: null });
  }
  entries.sort((a, b) => a.version - b.version);
  return { version, entries, problems: entries.filter((e) => e.state === 'edited' || e.state === 'missing') };
}
