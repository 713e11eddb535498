/** `pgshift up --fleet <inventory>`: the folder applied to every target, with a canary, a stop on failures and a report. */
import type { Command } from 'commander';
import { EXIT } from '../../errors';
import type { TargetOutcome } from '../../fleet/outcome';
import { buildReport, writeReport } from '../../fleet/report';
import { upFleet } from '../../fleet/run-fleet';
import { describeShard } from '../../fleet/shard';
import { debug, out, paint } from '../output';
import { describeEvent } from '../../runner/describe-event';
import { addFleetOptions, fleetTargets, parseWholeNumber, type FleetFlags } from './fleet-shared';
import { showVersion, withInterrupt, type RunFlags } from './runner-shared';

export interface UpFleetFlags extends FleetFlags, RunFlags {
  canary: number;
  maxFailures: number;
  report?: string;
}

export function addUpFleetOptions(command: Command): Command {
  return addFleetOptions(command)
    .option('--canary <k>', 'with --fleet: run the first K targets one at a time first; any failure stops the rest', parseWholeNumber, 0)
    .option('--max-failures <f>', 'with --fleet: stop starting targets once more than F have failed', parseWholeNumber, 0)
    .option('--report <file>', 'with --fleet: write each target\'s outcome and versions as JSON');
}

function outcomeLine(o: TargetOutcome): string {
  const versions = `${showVersion(o.versionBefore ?? -1)} → ${showVersion(o.versionAfter ?? -1)}`;
  switch (o.outcome) {
    case 'applied': return `${o.id}: ${paint.green(`applied ${o.applied.length}`)} (${versions})`;
    case 'up-to-date': return `${o.id}: up to date (version ${showVersion(o.versionAfter ?? -1)})`;
    case 'failed': return `${o.id}: ${paint.red('FAILED')}${o.dirty ? ` (dirty at ${o.versionAfter})` : ''}: ${o.error}${o.hint ? paint.dim(` — ${o.hint}`) : ''}`;
    case 'skipped': return `${o.id}: ${paint.yellow('skipped')}: ${o.error}`;
  }
}

export async function upFleetCommand(limit: number | undefined, flags: UpFleetFlags): Promise<number> {
  const { targets, shard, total } = await fleetTargets(flags);
  const startedAt = new Date();
  out(`up --fleet: ${targets.length} target${targets.length === 1 ? '' : 's'}${shard ? ` (shard ${describeShard(shard)} of ${total})` : ''}, concurrency ${flags.concurrency}${flags.canary > 0 ? `, canary ${flags.canary}` : ''}`);
  const outcomes = await withInterrupt((signal) => upFleet(targets, {
    dir: flags.dir, limit: limit ?? null, lockTimeout: flags.lockTimeout, statementTimeout: flags.statementTimeout,
    lockRetries: flags.lockRetries, allowEdited: Boolean(flags.allowEdited), signal,
    quietForMs: flags.quietFor, forceContract: Boolean(flags.forceContract),
    concurrency: flags.concurrency, perHost: flags.perHost ?? flags.concurrency, canary: flags.canary, maxFailures: flags.maxFailures,
    onOutcome: (o) => out(outcomeLine(o)),
    onEvent: (target) => (event) => {
      const text = describeEvent(event);
      if (text) debug(`${target.id}: ${text}`);
    },
  }));
  for (const o of outcomes) if (o.outcome === 'skipped') out(outcomeLine(o));
  const report = buildReport('up --fleet', describeShard(shard), startedAt, new Date(), outcomes);
  if (flags.report) writeReport(flags.report, report);
  const s = report.summary;
  out(`${s.total} targets: ${s.applied} applied, ${s['up-to-date']} up to date, ${s.failed} failed, ${s.skipped} skipped${flags.report ? ` · report: ${flags.report}` : ''}`);
  return s.failed + s.skipped > 0 ? EXIT.error : EXIT.ok;
}
