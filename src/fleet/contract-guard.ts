/**
 * `gen diff --contract --fleet`: a contract step drops what old code still uses, so it is written only
 * once every target has the whole expand it finishes (the expand file and the backfill steps planned with
 * it: `Step 1 of N` in the expand file's header says how many). A target that is behind, dirty or
 * unreadable is named, and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { targetConnection } from '../db/golang-migrate-url';
import type { RecordedContract } from '../planner/contracts';
import { PgshiftError } from '../errors';
import { readMigrationsDir } from '../migrations-dir/files';
import { databaseVersion } from '../runner/runner';
import { describeFailure } from './outcome';
import { schedule } from './scheduler';
import { hostOf, type FleetTarget } from './target';
import { readEvidence, recordSnapshots, type ContractEvidence } from '../contract-gate/evidence';
import { withConnection } from '../runner/connections';

/** The last version of the expand run that starts at `expandVersion`. */
export function expandRunEnd(dir: string, expandVersion: number): number {
  const expand = readMigrationsDir(dir).find((m) => m.version === expandVersion);
  if (!expand?.up) return expandVersion;
  const header = /^-- Step 1 of (\d+) /m.exec(readFileSync(expand.up.path, 'utf8'));
  return header ? expandVersion + Number(header[1]) - 1 : expandVersion;
}

export interface BehindTarget {
  readonly id: string;
  readonly reason: string;
}

export async function targetsBehindContracts(
  targets: readonly FleetTarget[], dir: string, pending: readonly RecordedContract[], options: { concurrency: number; perHost: number },
): Promise<{ required: number; behind: BehindTarget[] }> {
  const required = Math.max(...pending.map((p) => expandRunEnd(dir, p.expandVersion)));
  const results = await schedule(
    targets.map((t) => ({ item: t, host: hostOf(t.url) })),
    async (target): Promise<{ ok: boolean; value: BehindTarget | null }> => {
      try {
        const v = await databaseVersion({ databaseUrl: targetConnection(target.url).url });
        if (v.dirty) return { ok: true, value: { id: target.id, reason: `dirty at ${v.version}` } };
        return { ok: true, value: v.version < required ? { id: target.id, reason: `at ${v.version < 0 ? 'none' : v.version}` } : null };
      } catch (error) {
        return { ok: true, value: { id: target.id, reason: `unreadable: ${describeFailure(error).error}` } };
      }
    },
    { ...options, canary: 0, maxFailures: Number.POSITIVE_INFINITY },
  );
  const behind = results.flatMap((r) => (r.kind === 'ran' && r.value ? [r.value] : []));
  return { required, behind };
}

export async function refuseWhileFleetBehind(
  targets: readonly FleetTarget[], dir: string, pending: readonly RecordedContract[], options: { concurrency: number; perHost: number },
): Promise<void> {
  if (pending.length === 0) return;
  const { required, behind } = await targetsBehindContracts(targets, dir, pending, options);
  if (behind.length === 0) return;
  const named = behind.slice(0, 10).map((b) => `${b.id} (${b.reason})`).join(', ');
  throw new PgshiftError('DECISION', `${behind.length} of ${targets.length} targets are behind version ${required}, the expand this contract finishes: ${named}${behind.length > 10 ? ', …' : ''}`, {
    hint: 'apply it to them first (pgshift up --fleet …); without --fleet the contract is written regardless, once you know no target runs code that uses the old shape',
  });
}

export interface TargetEvidence {
  readonly id: string;
  readonly evidence: readonly ContractEvidence[];
  /** Could not be read: counts as in use (the gate never guesses "unused"). */
  readonly error: string | null;
}

/**
 * Issue #15 across a fleet: every target keeps its own usage record (its own old application may still
 * be running), so the contract is quiet only when every target is. Read-only on every target, except for
 * the read snapshot each keeps for the next gate.
 */
export async function fleetContractEvidence(
  targets: readonly FleetTarget[], ids: readonly string[], options: { concurrency: number; perHost: number; quietForMs: number; record: boolean },
): Promise<TargetEvidence[]> {
  const results = await schedule(
    targets.map((t) => ({ item: t, host: hostOf(t.url) })),
    async (target): Promise<{ ok: boolean; value: TargetEvidence }> => {
      try {
        const evidence = await withConnection(targetConnection(target.url).url, async (client) => {
          const read = await readEvidence(client, ids, options.quietForMs);
          if (options.record) await recordSnapshots(client, read);
          return read;
        });
        return { ok: true, value: { id: target.id, evidence, error: null } };
      } catch (error) {
        return { ok: true, value: { id: target.id, evidence: [], error: describeFailure(error).error } };
      }
    },
    { concurrency: options.concurrency, perHost: options.perHost, canary: 0, maxFailures: Number.POSITIVE_INFINITY },
  );
  return results.flatMap((r) => (r.kind === 'ran' ? [r.value] : []));
}
