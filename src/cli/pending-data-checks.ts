/**
 * `status`: the data checks the pending files will run before their steps (their headers' facts), and
 * the count on the database now, so a reviewer sees a refusal coming before `up`. Read-only, under the
 * plan-time timeouts (live-data-checks.ts).
 *
 * Why not every check is counted: a check of a later pending file may be about data an earlier pending
 * file changes or creates first (a backfill fills the NULLs a NOT NULL check looks for, an expand adds
 * the column a unique index is built on). The next file's checks are always counted, and a later
 * file's only when the planner marked it meaningful on the data as it was (`atPlanTime`); the others
 * are listed as counted by `up` when it gets there.
 */
import { readFileSync } from 'node:fs';
import type { MigrationFile } from '../migrations-dir/files';
import { describePrecheck, type Precheck } from '../planner/precheck';
import { prechecksOf } from '../runner/data-checks/header';
import { describeFinding } from '../runner/data-checks/describe-finding';
import { withChecker } from './live-data-checks';
import { paint } from './output';
import type { Finding } from '../runner/data-checks/run-checks';

interface FileChecks {
  readonly file: MigrationFile;
  readonly checks: readonly Precheck[];
}

function countedLine(check: Precheck, finding: Finding): string {
  if (finding.refusing === 0) return `${describePrecheck(check)}: ${paint.green('holds now')}`;
  return `${paint.yellow('up would refuse:')} ${describeFinding(finding)}`;
}

/** One heading and a line per check of the pending up files (in version order); nothing when none has any. */
export async function pendingDataCheckLines(databaseUrl: string, pendingUpFiles: readonly MigrationFile[]): Promise<string[]> {
  const withChecks: FileChecks[] = pendingUpFiles
    .map((file) => ({ file, checks: prechecksOf(file.fileName, readFileSync(file.path, 'utf8')) }))
    .filter((f) => f.checks.length > 0);
  if (withChecks.length === 0) return [];
  const next = pendingUpFiles[0];
  return withChecker(databaseUrl, async (count) => {
    const lines = ['Data checks of pending files (pgshift up runs each right before its step; counted now):'];
    for (const { file, checks } of withChecks) {
      lines.push(`  ${file.fileName}`);
      for (const check of checks) {
        if (file !== next && !check.atPlanTime) {
          lines.push(`    ${describePrecheck(check)}: ${paint.dim('counted by up when it gets there (an earlier pending file changes what it checks)')}`);
          continue;
        }
        try {
          lines.push(`    ${countedLine(check, await count(check))}`);
        } catch (error) {
          lines.push(`    ${describePrecheck(check)}: ${paint.dim(`could not count now (${(error as Error).message}); up counts it before the step`)}`);
        }
      }
    }
    return lines;
  });
}
