/**
 * fast-check run parameters, overridable from the environment so that a failure seen anywhere can be
 * replayed (fast-check prints `seed` and `path` with every counterexample).
 *
 * The default seed is fixed: the suite runs on every merge into main, and a property that fails on a
 * fresh random seed would fail someone else's unrelated merge. Exploring is a deliberate act:
 *   PGSHIFT_PROPERTY_SEED=random PGSHIFT_PROPERTY_RUNS=3000 PGSHIFT_PROPERTY_TIME_LIMIT=900000 npx vitest run test/property
 */
import type fc from 'fast-check';

const DEFAULT_SEED = 20240611;

/** How long a property may run before fast-check stops starting new runs (PGSHIFT_PROPERTY_TIME_LIMIT ms). */
export const PROPERTY_TIME_LIMIT = Number(process.env.PGSHIFT_PROPERTY_TIME_LIMIT ?? 240_000);

/** The vitest timeout for a property test: its time limit, plus room to shrink a counterexample. */
export const PROPERTY_TEST_TIMEOUT = PROPERTY_TIME_LIMIT + 120_000;

export function propertyParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const seed = process.env.PGSHIFT_PROPERTY_SEED ?? String(DEFAULT_SEED);
  const path = process.env.PGSHIFT_PROPERTY_PATH;
  const runs = process.env.PGSHIFT_PROPERTY_RUNS;
  return {
    numRuns: runs ? Number(runs) : defaultRuns,
    ...(seed === 'random' ? {} : { seed: Number(seed) }),
    ...(path ? { path } : {}),
    // Exploration runs end when the time is up instead of hitting the test timeout.
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT,
  };
}
