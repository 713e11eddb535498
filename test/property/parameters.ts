/**
 * fast-check run parameters, overridable from the environment so a failure seen anywhere can be replayed:
 * fast-check prints `seed` and `path` with every counterexample.
 */
import type fc from 'fast-check';

export function propertyParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const seed = process.env.PGSHIFT_PROPERTY_SEED;
  const path = process.env.PGSHIFT_PROPERTY_PATH;
  const runs = process.env.PGSHIFT_PROPERTY_RUNS;
  return {
    numRuns: runs ? Number(runs) : defaultRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
    // The counterexample is printed with the seed; shrinking a database property is slow, so bound it.
    endOnFailure: false,
    interruptAfterTimeLimit: 240_000,
  };
}
