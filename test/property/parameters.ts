/**
 * fast-check run parameters, overridable from the environment so a failure seen anywhere can be replayed:
 * fast-check prints `seed` and `path` with every counterexample.
 */
import type fc from 'fast-check';

/** How long a property may run before fast-check stops starting new runs (PGSHIFT_PROPERTY_TIME_LIMIT ms). */
export const PROPERTY_TIME_LIMIT = Number(process.env.PGSHIFT_PROPERTY_TIME_LIMIT ?? 240_000);

/** The vitest timeout for a property test: its time limit, plus room to shrink a counterexample. */
export const PROPERTY_TEST_TIMEOUT = PROPERTY_TIME_LIMIT + 120_000;

export function propertyParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const seed = process.env.PGSHIFT_PROPERTY_SEED;
  const path = process.env.PGSHIFT_PROPERTY_PATH;
  const runs = process.env.PGSHIFT_PROPERTY_RUNS;
  return {
    numRuns: runs ? Number(runs) : defaultRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
    // Exploration runs (PGSHIFT_PROPERTY_RUNS=2000) end when the time is up instead of timing out.
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT,
  };
}
