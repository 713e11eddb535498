/**
 * Rule `replace-definition`: an index or constraint whose definition changed but whose name stays
 * arrives as a drop and an add of the same name. That is not a destructive drop — the entities still
 * want the object — so no flag is asked; the old one is kept until its replacement is in place:
 *  - index: renamed away (`<name>_pgshift_old`), the new one built concurrently under the name, the old
 *    one dropped concurrently at the end — queries always have an index;
 *  - UNIQUE / CHECK / FOREIGN KEY / PRIMARY KEY: dropped in the same transaction that attaches the new
 *    one (USING INDEX or NOT VALID), so there is no moment without the constraint.
 * See replace-definition.md.
 */
import { invertChange, type Change } from '../../diff/change';
import type { QualifiedName } from '../../model/schema';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { ident, qualified } from '../../sql/quote';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { targetTable } from '../model-lookup';
import { oldObjectName } from '../names';
import type { PlanContext, RuleOutcome } from '../rule';
import { defineRule } from '../rule';
import { primaryKeyAttachStage } from './add-primary-key-using-index';
import { createIndexConcurrently, dropIndexConcurrently } from './create-index-concurrently';
import { RESTORES_BEFORE_UP } from '../lint-waiver';

/** Whether the entities still want an object of this kind and name on the table. */
export function isReplaced(change: Change, ctx: PlanContext): boolean {
  if (!('table' in change) || change.kind === 'CreateTable' || change.kind === 'DropTable') return false;
  const target = targetTable(ctx, change.table as QualifiedName);
  if (!target) return false;
  switch (change.kind) {
    case 'DropIndex': return target.indexes.some((i) => i.name === change.index.name);
    case 'DropUnique': return target.uniques.some((u) => u.name === change.unique.name);
    case 'DropCheck': return target.checks.some((c) => c.name === change.check.name);
    case 'DropForeignKey': return target.foreignKeys.some((f) => f.name === change.foreignKey.name);
    case 'DropPrimaryKey': return target.primaryKey !== null;
    default: return false;
  }
}

function replacedIndex(change: Extract<Change, { kind: 'DropIndex' }>, ctx: PlanContext): Fragment[] {
  const old = oldObjectName(change.index.name);
  const rename = (from: string, to: string) =>
    statement(`ALTER INDEX ${qualified({ schema: change.table.schema, name: from })} RENAME TO ${ident(to)}`, 'SHARE UPDATE EXCLUSIVE', change.table);
  return [
    {
      stage: STAGE.schema,
      phase: 'direct',
      content: 'schema',
      transactional: true,
      mergeable: true,
      slug: `rename_index_${change.index.name}_away`,
      summary: `rename index ${change.index.name} on ${displayName(change.table)} to ${old}, so its new definition can be built under its name`,
      why: 'renaming an index takes SHARE UPDATE EXCLUSIVE on the index only: reads and writes continue, and queries keep using it until the new one is built',
      up: [rename(change.index.name, old)],
      down: [rename(old, change.index.name)],
    },
    {
      stage: STAGE.enforce,
      phase: 'direct',
      content: 'schema',
      transactional: false,
      mergeable: false,
      slug: `drop_index_${old}`,
      summary: `drop the previous definition of index ${change.index.name} (${old}) on ${displayName(change.table)}, concurrently`,
      why: `the new ${change.index.name} is built by now; CONCURRENTLY drops the old one under SHARE UPDATE EXCLUSIVE: reads and writes continue`,
      up: [dropIndexConcurrently(change.table, old)],
      down: [createIndexConcurrently(change.table, { ...change.index, name: old })],
    },
  ];
}

function replacedConstraint(change: Change, ctx: PlanContext): Fragment {
  const stage = change.kind === 'DropPrimaryKey'
    ? primaryKeyAttachStage(ctx, change.table, targetTable(ctx, change.table)!.primaryKey!)
    : STAGE.attach;
  return {
    stage,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: changeSlug(change),
    summary: `${describeChange(change)} (replaced by its new definition in the same transaction)`,
    why: 'the old definition is dropped in the transaction that attaches the new one (already built or NOT VALID): catalog only, the lock is held for an instant, bounded by lock_timeout',
    // The old definition goes in the transaction that attaches the new one (nothing is ever without it).
    up: directStatements(change, 'replaced by its new definition in the same transaction'),
    down: directStatements(invertChange(change), RESTORES_BEFORE_UP),
  };
}

export const replaceDefinition = defineRule({
  id: 'replace-definition',
  kinds: ['DropIndex', 'DropUnique', 'DropCheck', 'DropForeignKey', 'DropPrimaryKey'],
  claims: isReplaced,
  plan(change, ctx): RuleOutcome {
    if (change.kind === 'DropIndex') return { kind: 'plan', fragments: replacedIndex(change, ctx) };
    return { kind: 'plan', fragments: [replacedConstraint(change, ctx)] };
  },
});
