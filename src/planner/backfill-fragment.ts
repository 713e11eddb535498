/** The data step of an expand: one batched backfill alone in a non-transactional data file. */
import type { QualifiedName } from '../model/schema';
import { backfillStatement } from './backfill';
import { STAGE, type Fragment } from './fragment';
import { noOpStatement } from './no-op';

export interface BackfillFragmentInput {
  readonly table: QualifiedName;
  readonly primaryKey: readonly string[];
  readonly setSql: string;
  readonly whereSql: string;
  readonly batchSize: number;
  readonly batchTimeMs?: number;
  readonly slug: string;
  readonly summary: string;
  /** Why the values written need no undo (the down of the step holds one no-op statement). */
  readonly undoneBy: string;
}

/** How the batches are sized, for headers: `sized to hold row locks ~50 ms, at most 5000 rows`. */
export function batchWords(spec: { readonly batchSize: number; readonly batchTimeMs?: number }): string {
  return spec.batchTimeMs ? `each sized to hold its row locks about ${spec.batchTimeMs} ms, at most ${spec.batchSize} rows` : `${spec.batchSize} rows each`;
}

export function backfillFragment(input: BackfillFragmentInput): Fragment {
  return {
    stage: STAGE.backfill,
    phase: 'backfill',
    content: 'data',
    transactional: false,
    mergeable: false,
    slug: input.slug,
    summary: input.summary,
    why: `keyset batches by primary key (${batchWords(input)}), each committed on its own: row locks only, one short batch at a time; re-running continues where it stopped`,
    up: [backfillStatement(input)],
    down: [noOpStatement(input.undoneBy)],
    downNote: input.undoneBy,
  };
}
