/**
 * Refusals before anything runs: a dirty database, edited or missing applied migrations, and files that
 * cannot run as written. Each message names the command that gets the user out.
 */
import { PgshiftError } from '../errors';
import { forceAdvice, type DirtyDiagnosis } from './recovery';
import type { StatusReport } from './status';

/** A dirty state `up` cannot finish: the refusal says why and which version to force in which case. */
export function refuseDirty(diagnosis: DirtyDiagnosis): void {
  if (diagnosis.kind !== 'unknown') return;
  const shown = diagnosis.version < 0 ? 'none (-1)' : String(diagnosis.version);
  throw new PgshiftError('DIRTY', `Dirty database version ${shown}: ${diagnosis.why}`, {
    hint: forceAdvice(diagnosis.forceDone, diagnosis.forceUndone),
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
