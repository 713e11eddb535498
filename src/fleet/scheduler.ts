/**
 * Runs one job per target: the first `canary` alone and in order (the first failure stops everything),
 * then the rest with at most `concurrency` at once and at most `perHost` on any one server, stopping
 * new starts once more than `maxFailures` have failed. Jobs already running are never interrupted by a
 * stop; the signal (Ctrl-C) is for that. Knows nothing about migrations.
 */
export interface ScheduleOptions {
  readonly concurrency: number;
  readonly perHost: number;
  readonly canary: number;
  readonly maxFailures: number;
  readonly signal?: AbortSignal;
}

export type Scheduled<R> =
  | { readonly kind: 'ran'; readonly ok: boolean; readonly value: R }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface Job<T, R> {
  readonly item: T;
  readonly host: string;
}

/** `run` must not throw: it returns ok = false for a failure. */
export async function schedule<T, R>(
  jobs: readonly Job<T, R>[],
  run: (item: T) => Promise<{ ok: boolean; value: R }>,
  options: ScheduleOptions,
): Promise<Scheduled<R>[]> {
  const results: Array<Scheduled<R> | undefined> = new Array(jobs.length).fill(undefined);
  let failures = 0;
  let stopReason: string | null = null;
  const stopIfNeeded = () => {
    if (stopReason === null && options.signal?.aborted) stopReason = 'interrupted';
    if (stopReason === null && failures > options.maxFailures) stopReason = `stopped after ${failures} failure${failures === 1 ? '' : 's'} (--max-failures ${options.maxFailures})`;
  };

  const canaries = Math.min(options.canary, jobs.length);
  for (let i = 0; i < canaries; i++) {
    stopIfNeeded();
    if (stopReason !== null) break;
    const outcome = await run(jobs[i]!.item);
    results[i] = { kind: 'ran', ...outcome };
    if (!outcome.ok) {
      failures++;
      stopReason = `canary ${i + 1} of ${canaries} failed`;
    }
  }

  const queue = jobs.map((_, i) => i).filter((i) => i >= canaries);
  const activeByHost = new Map<string, number>();
  let active = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      stopIfNeeded();
      while (stopReason === null && active < options.concurrency) {
        const at = queue.findIndex((i) => (activeByHost.get(jobs[i]!.host) ?? 0) < options.perHost);
        if (at < 0) break;
        const [index] = queue.splice(at, 1) as [number];
        start(index);
      }
      if (active === 0) done();
    };
    const start = (index: number) => {
      const { item, host } = jobs[index]!;
      active++;
      activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
      void run(item).then((outcome) => {
        results[index] = { kind: 'ran', ...outcome };
        if (!outcome.ok) failures++;
        active--;
        activeByHost.set(host, activeByHost.get(host)! - 1);
        pump();
      });
    };
    pump();
  });

  return results.map((r) => r ?? { kind: 'skipped', reason: stopReason ?? 'not started' });
}
