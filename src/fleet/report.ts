/** The `--report` file: one JSON document with every target's outcome, written whole or not at all. */
import { renameSync, writeFileSync } from 'node:fs';
import { PgshiftError } from '../errors';
import type { TargetOutcome, TargetOutcomeKind } from './outcome';

export interface FleetReport {
  readonly pgshift: 1;
  readonly command: string;
  readonly shard: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: Readonly<Record<TargetOutcomeKind | 'total', number>>;
  readonly targets: readonly TargetOutcome[];
}

export function summarize(outcomes: readonly TargetOutcome[]): FleetReport['summary'] {
  const count = (kind: TargetOutcomeKind) => outcomes.filter((o) => o.outcome === kind).length;
  return { total: outcomes.length, applied: count('applied'), 'up-to-date': count('up-to-date'), failed: count('failed'), skipped: count('skipped') };
}

export function buildReport(command: string, shard: string | null, startedAt: Date, finishedAt: Date, outcomes: readonly TargetOutcome[]): FleetReport {
  return { pgshift: 1, command, shard, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), summary: summarize(outcomes), targets: outcomes };
}

export function writeReport(path: string, report: FleetReport): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(temp, path);
  } catch (error) {
    throw new PgshiftError('USAGE', `could not write the report ${path}: ${(error as Error).message}`);
  }
}
