/**
 * `status --fleet`: each target's version, dirty flag and problems, and the skew across the fleet —
 * which versions are live at once, and how far the slowest target is behind the folder.
 */
import { latestVersion, readMigrationsDir } from '../migrations-dir/files';
import { migrationStatus } from '../runner/runner';
import { redactSecrets } from '../errors';
import { describeFailure } from './outcome';
import { schedule } from './scheduler';
import { hostOf, type FleetTarget } from './target';
import { targetConnection } from '../db/golang-migrate-url';

export interface TargetStatus {
  readonly id: string;
  readonly target: string;
  /** null when the target could not be read. */
  readonly version: number | null;
  readonly dirty: boolean | null;
  readonly pending: number | null;
  /** Applied files edited or missing since. */
  readonly problems: number | null;
  readonly error: string | null;
}

export interface FleetStatus {
  readonly folderVersion: number | null;
  readonly targets: readonly TargetStatus[];
  /** Each version seen, with how many targets are at it, lowest first. */
  readonly versions: ReadonlyArray<{ readonly version: number; readonly count: number }>;
  /** Targets below the folder's newest version. */
  readonly behind: readonly string[];
}

async function statusOne(target: FleetTarget, dir: string): Promise<TargetStatus> {
  const shown = redactSecrets(target.url);
  try {
    const status = await migrationStatus({ databaseUrl: targetConnection(target.url).url, dir });
    return {
      id: target.id, target: shown, version: status.version.version, dirty: status.version.dirty,
      pending: status.entries.filter((e) => e.state === 'pending').length, problems: status.problems.length, error: null,
    };
  } catch (error) {
    return { id: target.id, target: shown, version: null, dirty: null, pending: null, problems: null, error: describeFailure(error).error };
  }
}

export async function fleetStatus(targets: readonly FleetTarget[], options: { dir: string; concurrency: number; perHost: number }): Promise<FleetStatus> {
  const folderVersion = latestVersion(readMigrationsDir(options.dir));
  const results = await schedule(
    targets.map((t) => ({ item: t, host: hostOf(t.url) })),
    async (target) => ({ ok: true, value: await statusOne(target, options.dir) }),
    { concurrency: options.concurrency, perHost: options.perHost, canary: 0, maxFailures: Number.POSITIVE_INFINITY },
  );
  const statuses = results.map((r) => (r.kind === 'ran' ? r.value : null)).filter((s): s is TargetStatus => s !== null);
  const counts = new Map<number, number>();
  for (const s of statuses) if (s.version !== null) counts.set(s.version, (counts.get(s.version) ?? 0) + 1);
  const versions = [...counts.entries()].sort(([a], [b]) => a - b).map(([version, count]) => ({ version, count }));
  const behind = folderVersion === null ? [] : statuses.filter((s) => s.version !== null && s.version < folderVersion).map((s) => s.id);
  return { folderVersion, targets: statuses, versions, behind };
}
