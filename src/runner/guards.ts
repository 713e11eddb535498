/**
 * Refusals before anything runs: a dirty database, edited or missing applied migrations, and files that
 * cannot run as written. Each message names the command that gets the user out.
 */
import { PgshiftError } from '../errors';
import type { Migration } from '../migrations-dir/files';
import { forceArgument } from './execute-file';
import type { StatusReport } from './status';
import { NIL_VERSION, type DatabaseVersion } from './version-table';

export function refuseDirty(version: DatabaseVersion, migrations: readonly Migration[]): void {
  if (!version.dirty) return;
  const index = migrations.findIndex((m) => m.version === version.version);
  const before = index > 0 ? migrations[index - 1]!.version : NIL_VERSION;
  const shown = version.version < 0 ? 'none (-1)' : String(version.version);
  throw new PgshiftError('DIRTY', `Dirty database version ${shown}: a migration failed or was interrupted. Fix and force version: \`pgshift force ${forceArgument(version.version)}\``, {
    hint:
      `the failed run's output names the file. A transactional file that failed was rolled back, so after a failed up ` +
      `to ${version.version} the database is still at ${before < 0 ? 'no version' : before}: \`pgshift force ${forceArgument(before)}\`, fix the file, run again. ` +
      `Force ${shown} only once the database really is at it`,
  });
}

export function describeProblems(report: StatusReport): string {
  return report.problems.map((p) => `${p.name} ${p.state === 'edited' ? 'was edited after it was applied' : 'is missing from the folder'}`).join('; ');
}

export function refuseEdited(report: StatusReport): void {
  if (report.problems.length === 0) return;
  throw new PgshiftError('EDITED', `applied migrations changed: ${describeProblems(report)}`, {
    hint:
      'an applied migration never runs again, so editing it changes nothing in this database but makes it differ from a fresh one. ' +
      'Restore the file (git checkout) and put the change in a new migration, or pass --allow-edited to go on anyway',
  });
}
