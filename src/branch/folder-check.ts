/**
 * What a merge of parallel branches breaks in a migrations folder, found before any diff: two pairs
 * with one version, and — against a live database — files numbered below the database's version that
 * it never applied (golang-migrate would silently skip them forever). "Never applied" comes from
 * pgshift's checksum table: a file without a record while a later version has one was not in the
 * folder when that later one ran.
 */
import { duplicateVersions } from '../migrations-dir/files';
import { migrationStatus } from '../runner/runner';

export type FolderProblem =
  | { readonly kind: 'duplicate-version'; readonly version: number; readonly titles: readonly string[] }
  | { readonly kind: 'never-applied'; readonly version: number; readonly name: string; readonly databaseVersion: number };

export function describeFolderProblem(problem: FolderProblem): string {
  if (problem.kind === 'duplicate-version') return `version ${problem.version} is used by ${problem.titles.length} migrations: ${problem.titles.join(' and ')}`;
  return `${problem.name} is older than the database's version ${problem.databaseVersion} but was never applied to it`;
}

export async function folderProblems(dir: string, databaseUrl: string | undefined): Promise<FolderProblem[]> {
  const duplicates: FolderProblem[] = duplicateVersions(dir).map((d) => ({ kind: 'duplicate-version', ...d }));
  if (duplicates.length > 0 || !databaseUrl) return duplicates;
  const status = await migrationStatus({ databaseUrl, dir });
  const recorded = status.entries.filter((e) => e.state === 'applied' || e.state === 'edited').map((e) => e.version);
  const newestRecorded = Math.max(-1, ...recorded);
  return status.entries
    .filter((e) => e.state === 'checksum-unknown' && e.version < newestRecorded)
    .map((e) => ({ kind: 'never-applied', version: e.version, name: e.name, databaseVersion: status.version.version }));
}
