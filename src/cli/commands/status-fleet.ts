/** `pgshift status --fleet <inventory>`: every target's version and dirty flag, and the skew across the fleet. */
import { EXIT } from '../../errors';
import { fleetStatus, type TargetStatus } from '../../fleet/fleet-status';
import { out, paint } from '../output';
import { fleetTargets, type FleetFlags } from './fleet-shared';
import { showVersion } from './runner-shared';

export interface StatusFleetFlags extends FleetFlags { dir: string; json?: boolean }

function statusLine(s: TargetStatus, width: number): string {
  const id = s.id.padEnd(width);
  if (s.error !== null) return `  ${id}  ${paint.red('unreadable')}: ${s.error}`;
  const flags = [s.dirty ? paint.red('dirty') : '', s.pending ? paint.yellow(`${s.pending} pending`) : '', s.problems ? paint.red(`${s.problems} edited/missing`) : ''].filter(Boolean);
  return `  ${id}  version ${showVersion(s.version!)}${flags.length > 0 ? `  ${flags.join(', ')}` : ''}`;
}

export async function statusFleetCommand(flags: StatusFleetFlags): Promise<number> {
  const { targets } = await fleetTargets(flags);
  const status = await fleetStatus(targets, { dir: flags.dir, concurrency: flags.concurrency, perHost: flags.perHost ?? flags.concurrency });
  const bad = status.targets.filter((t) => t.error !== null || t.dirty || (t.problems ?? 0) > 0);
  if (flags.json) {
    out(JSON.stringify(status, null, 2));
    return bad.length > 0 ? EXIT.error : EXIT.ok;
  }
  const width = Math.max(0, ...status.targets.map((t) => t.id.length));
  for (const target of status.targets) out(statusLine(target, width));
  const versions = status.versions.map((v) => `${showVersion(v.version)} ×${v.count}`).join(', ') || 'none readable';
  const skew = status.versions.length > 1 ? paint.yellow(`skew: ${status.versions.length} versions live (${showVersion(status.versions[0]!.version)}…${showVersion(status.versions.at(-1)!.version)})`) : 'no skew';
  out(`${status.targets.length} targets · folder at ${showVersion(status.folderVersion ?? -1)} · versions: ${versions} · ${skew} · ${status.behind.length} behind`);
  if (bad.length > 0) process.stderr.write(`${paint.red('error:')} ${bad.length} target${bad.length === 1 ? ' is' : 's are'} dirty, unreadable or edited: ${bad.map((t) => t.id).join(', ')}\n`);
  return bad.length > 0 ? EXIT.error : EXIT.ok;
}
