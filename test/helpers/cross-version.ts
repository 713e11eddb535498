/**
 * A plan made on one major and applied on another, as in production: the shadow (embedded PG 18 by
 * default) makes the plan, the production server (often older) runs it. Every cross-version test runs
 * these three: portable and target 15, planned on 18 and applied on 15; target 18 planned and applied
 * on 18. REVERSE_VERSION is the other direction (planned on 15, applied on 18), which tests that sample
 * a variant per run add. test/global-setup.ts starts both majors.
 */
import type { Client } from 'pg';
import { PORTABLE_MAJOR } from '../../src/planner/target-major';
import { createTestDatabase, type TestDatabase } from './db';

export interface CrossVersion {
  readonly title: string;
  /** The plan's target major (PORTABLE_MAJOR for a plan with no target). */
  readonly targetMajor: number;
  /** The major of the server the plan is made against (the shadow). */
  readonly planOn: number;
  /** The major of the server the files are applied on (production). */
  readonly applyOn: number;
}

export const CROSS_VERSIONS: readonly CrossVersion[] = [
  { title: 'portable, planned on 18, applied on 15', targetMajor: PORTABLE_MAJOR, planOn: 18, applyOn: 15 },
  { title: 'target 15, planned on 18, applied on 15', targetMajor: 15, planOn: 18, applyOn: 15 },
  { title: 'target 18, planned on 18, applied on 18', targetMajor: 18, planOn: 18, applyOn: 18 },
];

/** A plan for 15 made on a PG 15 shadow (--shadow-url, or the 15 binaries) and applied on PG 18. */
export const REVERSE_VERSION: CrossVersion = { title: 'target 15, planned on 15, applied on 18', targetMajor: 15, planOn: 15, applyOn: 18 };

/** What evolveAndVerify needs: where to plan, where to apply, for which major. */
export interface CrossPair {
  readonly planOn: Client;
  readonly applyOn: Client;
  readonly targetMajor: number;
}

export interface OpenPair extends CrossPair {
  readonly applyDb: TestDatabase;
  close(): Promise<void>;
  /** Ends the connections and keeps the databases, to copy them (openPair's `from`); `drop` removes them. */
  asTemplate(): Promise<PairTemplate>;
}

/** The database names of a pair kept as a template. */
export interface PairTemplate {
  readonly planDb: string;
  readonly applyDb: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on each of the two servers of `cv`, or copies of a closed pair's databases
 * (`from`: see OpenPair.asTemplate).
 */
export async function openPair(prefix: string, cv: CrossVersion, from?: PairTemplate): Promise<OpenPair> {
  const planDb = await createTestDatabase(prefix, { major: cv.planOn, template: from?.planDb });
  const applyDb = await createTestDatabase(prefix, { major: cv.applyOn, template: from?.applyDb });
  const planOn = await planDb.connect();
  const applyOn = await applyDb.connect();
  const end = async () => {
    await planOn.end().catch(() => undefined);
    await applyOn.end().catch(() => undefined);
  };
  const drop = async () => {
    await planDb.drop();
    await applyDb.drop();
  };
  return {
    planOn, applyOn, applyDb, targetMajor: cv.targetMajor,
    async close() {
      await end();
      await drop();
    },
    async asTemplate() {
      await end();
      return { planDb: planDb.name, applyDb: applyDb.name, drop };
    },
  };
}
