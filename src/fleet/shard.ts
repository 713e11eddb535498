/**
 * `--shard i/n`: this process takes every n-th target, so n CI matrix jobs or an indexed Job's pods
 * split a fleet without talking to each other. Targets are dealt by their position in the id-sorted
 * list, not in inventory order: a query without ORDER BY may return rows in a different order to each
 * process, and the shards must still not overlap.
 */
import { PgshiftError } from '../errors';
import type { FleetTarget } from './target';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new PgshiftError('USAGE', `invalid --shard ${text}`, { hint: 'expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (an indexed Job: --shard "$((JOB_COMPLETION_INDEX + 1))/N")' });
  }
  return { index, count };
}

/** This shard's targets, in inventory order. */
export function selectShard(targets: readonly FleetTarget[], shard: Shard | null): FleetTarget[] {
  if (!shard || shard.count === 1) return [...targets];
  const sorted = [...targets].map((t) => t.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mine = new Set(sorted.filter((_, position) => position % shard.count === shard.index - 1));
  return targets.filter((t) => mine.has(t.id));
}

export function describeShard(shard: Shard | null): string | null {
  return shard ? `${shard.index}/${shard.count}` : null;
}
