/**
 * `up --fleet`: the same folder applied to many targets, each a normal single-target run through the
 * runner's public entry (`migrate`), so every target keeps its own schema_migrations, checksums and
 * migration lock, and a second run converges: done targets are no-ops, failed ones are tried again.
 */
import { readMigrationsDir } from '../migrations-dir/files';
import { databaseVersion, migrate } from '../runner/runner';
import type { RunnerListener } from '../runner/events';
import { redactSecrets } from '../errors';
import { describeFailure, skippedOutcome, type TargetOutcome } from './outcome';
import { schedule, type ScheduleOptions } from './scheduler';
import { hostOf, type FleetTarget } from './target';
import { targetConnection } from '../db/golang-migrate-url';

export interface FleetRunOptions extends ScheduleOptions {
  readonly dir: string;
  /** Apply only the next N on every target (null: everything pending). */
  readonly limit?: number | null;
  readonly lockTimeout?: string;
  readonly statementTimeout?: string;
  readonly lockRetries?: number;
  readonly allowEdited?: boolean;
  /** Contract gate per target (issue #15): each target's own evidence decides its own contract files. */
  readonly quietForMs?: number;
  readonly forceContract?: boolean;
  readonly onStart?: (target: FleetTarget) => void;
  readonly onOutcome?: (outcome: TargetOutcome) => void;
  /** Runner events of one target (for --verbose). */
  readonly onEvent?: (target: FleetTarget) => RunnerListener;
}

async function versionNow(url: string): Promise<{ version: number; dirty: boolean } | null> {
  return databaseVersion({ databaseUrl: url }).catch(() => null);
}

async function upOne(target: FleetTarget, options: FleetRunOptions): Promise<TargetOutcome> {
  const started = Date.now();
  const shown = redactSecrets(target.url);
  let before: { version: number; dirty: boolean } | null = null;
  try {
    const { url } = targetConnection(target.url);
    before = await databaseVersion({ databaseUrl: url });
    const result = await migrate(
      {
        databaseUrl: url, dir: options.dir, lockTimeout: options.lockTimeout, statementTimeout: options.statementTimeout,
        lockRetries: options.lockRetries, allowEdited: options.allowEdited, signal: options.signal, onEvent: options.onEvent?.(target),
        quietForMs: options.quietForMs, forceContract: options.forceContract,
      },
      { kind: 'up', limit: options.limit ?? null },
    );
    return {
      id: target.id, target: shown, outcome: result.steps.length > 0 ? 'applied' : 'up-to-date',
      versionBefore: result.from.version, versionAfter: result.to.version, dirty: result.to.dirty,
      applied: result.steps.map((s) => s.version), durationMs: Date.now() - started, error: null, hint: null,
    };
  } catch (error) {
    // The version after a failure says whether it is dirty (needs `force`) or only unreachable.
    const after = before ? await versionNow(targetConnection(target.url).url) : null;
    return {
      id: target.id, target: shown, outcome: 'failed', versionBefore: before?.version ?? null,
      versionAfter: after?.version ?? null, dirty: after?.dirty ?? null, applied: [], durationMs: Date.now() - started, ...describeFailure(error),
    };
  }
}

/** Runs the fleet; resolves with one outcome per target in inventory order (never rejects for a target's failure). */
export async function upFleet(targets: readonly FleetTarget[], options: FleetRunOptions): Promise<TargetOutcome[]> {
  // A bad folder fails once, here, not once per target.
  readMigrationsDir(options.dir);
  for (const target of targets) targetConnection(target.url);
  const jobs = targets.map((target) => ({ item: target, host: hostOf(target.url) }));
  const results = await schedule(jobs, async (target) => {
    options.onStart?.(target);
    const outcome = await upOne(target, options).catch((error: unknown): TargetOutcome => ({
      ...skippedOutcome(target.id, target.url, ''), outcome: 'failed', ...describeFailure(error),
    }));
    options.onOutcome?.(outcome);
    return { ok: outcome.outcome !== 'failed', value: outcome };
  }, options);
  return results.map((r, i) => (r.kind === 'ran' ? r.value : skippedOutcome(targets[i]!.id, targets[i]!.url, r.reason)));
}
