/**
 * Rule `add-primary-key-using-index`: a primary key on an existing table is built as a unique index
 * CONCURRENTLY, then attached with `ADD CONSTRAINT … PRIMARY KEY USING INDEX`. The key columns must be
 * NOT NULL before the attach, or Postgres would scan the table under ACCESS EXCLUSIVE to prove it: when
 * a key column is nullable now, the attach waits for the `enforce` stage, after set-not-null-via-check
 * has made it NOT NULL without a locked scan. See add-primary-key-using-index.md.
 */
import type { PrimaryKey, QualifiedName } from '../../model/schema';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE } from '../fragment';
import { currentTable } from '../model-lookup';
import type { PlanContext, RuleOutcome } from '../rule';
import { defineRule, isNewTable } from '../rule';
import { attachFragment, buildIndexName, constraintIndex } from './add-unique-using-index';
import { concurrentIndexFragment } from './create-index-concurrently';

/** Where the PK is attached: `attach`, or `enforce` when a key column only becomes NOT NULL in this plan. */
export function primaryKeyAttachStage(ctx: PlanContext, table: QualifiedName, primaryKey: PrimaryKey): number {
  const current = currentTable(ctx, table);
  const nullableNow = primaryKey.columns.some((name) => current?.columns.find((c) => c.name === name)?.nullable ?? true);
  return nullableNow ? STAGE.enforce : STAGE.attach;
}

export const addPrimaryKeyUsingIndex = defineRule({
  id: 'add-primary-key-using-index',
  kinds: ['AddPrimaryKey'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    const { primaryKey } = change;
    const indexName = buildIndexName(ctx, change.table, primaryKey.name);
    const stage = primaryKeyAttachStage(ctx, change.table, primaryKey);
    const afterNotNull = stage === STAGE.enforce ? ' It runs after the key columns were made NOT NULL (validated check), so no scan is needed.' : '';
    return {
      kind: 'plan',
      fragments: [
        concurrentIndexFragment(change.table, constraintIndex(indexName, primaryKey.columns), ctx, {
          slug: `${changeSlug(change)}_index`,
          summary: `build the unique index for primary key ${primaryKey.name} on ${displayName(change.table)} (${primaryKey.columns.join(', ')}), concurrently`,
          purpose: `A later file attaches it as primary key ${primaryKey.name}.`,
        }),
        attachFragment({
          table: change.table,
          constraint: primaryKey.name,
          indexName,
          kind: 'PRIMARY KEY',
          stage,
          slug: changeSlug(change),
          summary: `${describeChange(change)}, using the index built concurrently`,
          why: `USING INDEX attaches the already built unique index over NOT NULL columns: catalog only, no scan and no build under the lock; the lock is held for an instant, bounded by lock_timeout.${afterNotNull}`,
        }),
      ],
    };
  },
});
