/**
 * How a view stands to the table changes beneath it (the `around` of its DropView / CreateView, see
 * src/diff/view-diff.ts): whether this run leaves what the view reads as it is, because the change
 * goes expand → contract and only its pending contract touches the column; and whether the plan
 * removes what a view reads, so that no file could create the view again.
 */
import type { Change } from '../diff/change';
import type { QualifiedName, View } from '../model/schema';
import { displayName } from '../model/schema';
import type { PlanContext } from './rule';
import { alterColumnType } from './rules/alter-column-type';
import { renameColumn } from './rules/rename-column';
import { readsColumn } from './views-over';

/**
 * A type change through a shadow column, and a column rename, keep the old column as it is through this
 * run: the expand only adds beside it. Their contracts come later (and carry the views they must).
 */
export function keepsOldShape(change: Change, ctx: PlanContext): boolean {
  if (change.kind !== 'AlterColumnType' && change.kind !== 'RenameColumn') return false;
  const rule = change.kind === 'AlterColumnType' ? alterColumnType : renameColumn;
  if (!rule.claims(change, ctx)) return false;
  const outcome = rule.plan(change, ctx);
  return outcome.kind === 'plan' && outcome.contract !== undefined;
}

/** What `change` takes away for good from the views over it (`t.c`, table `t`), or null. */
function removedBy(change: Change): { table: QualifiedName; column: string | null; how: string } | null {
  switch (change.kind) {
    case 'DropColumn': return { table: change.table, column: change.column.name, how: 'drops' };
    case 'RenameColumn': return { table: change.table, column: change.from.name, how: `renames to ${change.to.name} (its contract drops ${change.from.name})` };
    case 'DropTable': return { table: change.table, column: null, how: 'drops' };
    case 'RenameTable': return { table: change.from, column: null, how: `renames to ${change.to.name}` };
    default: return null;
  }
}

/** `t.c, which this plan drops` for each change beneath `view` that removes what it reads. */
export function removedBeneath(view: View, around: readonly Change[]): string[] {
  return around.flatMap((change) => {
    const removed = removedBy(change);
    if (!removed || !readsColumn(view, removed.table, removed.column)) return [];
    const what = removed.column === null ? `table ${displayName(removed.table)}` : `${displayName(removed.table)}.${removed.column}`;
    return [`${what}, which this plan ${removed.how}`];
  });
}
