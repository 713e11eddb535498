/**
 * `pgshift up`'s data checks, right before a step: on the data as the previous steps left it, before
 * the file takes a lock or marks the version dirty. A refusal names the rows and leaves the database
 * exactly as it was (the version is not touched), so fixing the rows and running `up` again continues.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../../errors';
import { describePrecheck, type Precheck } from '../../planner/precheck';
import type { ResolvedOptions } from '../options';
import type { PlannedStep } from '../plan';
import { applySessionTimeouts } from '../session';
import { describeFinding, refusingFindings } from './describe-finding';
import { runChecks } from './run-checks';

export async function checkBeforeStep(client: Client, step: PlannedStep, checks: readonly Precheck[], options: ResolvedOptions): Promise<void> {
  if (checks.length === 0) return;
  if (options.skipDataChecks) {
    options.emit({ kind: 'warning', message: `${step.file.fileName}: data checks skipped (--skip-data-checks): ${checks.map(describePrecheck).join('; ')}` });
    return;
  }
  // lock_timeout bounds the wait for the ACCESS SHARE lock a count takes (only an ACCESS EXCLUSIVE holder blocks it).
  await applySessionTimeouts(client, options.lockTimeout, options.statementTimeout);
  let findings;
  try {
    findings = await runChecks(client, checks);
  } catch (error) {
    throw new PgshiftError('DATA_CHECK', `${step.file.fileName}: a data check could not run: ${(error as Error).message}`, {
      hint: 'nothing was run and the version is unchanged; fix the cause (or pass --skip-data-checks to run the file unchecked) and run again',
      cause: error,
    });
  }
  const refusing = refusingFindings(findings);
  for (const finding of findings) {
    if (refusing.includes(finding)) continue;
    const note = finding.check.kind === 'narrowing' && finding.changed > 0 ? ` (${describeFinding(finding)})` : '';
    options.emit({ kind: 'data-check', version: step.version, passed: true, message: `${describePrecheck(finding.check)}${note}` });
  }
  if (refusing.length === 0) return;
  for (const finding of refusing) options.emit({ kind: 'data-check', version: step.version, passed: false, message: describeFinding(finding) });
  throw new PgshiftError('DATA_CHECK', `${step.file.fileName} was not run: ${refusing.map(describeFinding).join('; ')}`, {
    hint: `fix those rows and run \`pgshift up\` again; nothing of this file ran, no lock was taken and the version is unchanged (--skip-data-checks runs the file anyway)`,
  });
}
