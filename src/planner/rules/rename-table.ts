/**
 * Rule `rename-table`: `ALTER TABLE old RENAME TO new` alone breaks every running client the instant it
 * commits. With `--rename old=new` pgshift renames and, in the same transaction, creates a view under the
 * old name. A view over one table with plain column references is automatically updatable, so the old
 * application keeps reading *and* writing through it. The contract (`gen diff --contract`) drops the view.
 *
 * Without the flag, a table that no entity mentions any more while a new table with the same columns
 * appears is most likely a rename: pgshift asks instead of creating an empty table beside the full one.
 */
import type { Change } from '../../diff/change';
import { sameColumnType } from '../../diff/table-diff';
import type { QualifiedName, Table } from '../../model/schema';
import { statement } from '../../sql/statement';
import { ident, qualified } from '../../sql/quote';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import type { DecisionRequest } from '../decisions';
import type { PendingContract } from '../contracts';
import type { PlanContext, RuleOutcome } from '../rule';
import { defineRule } from '../rule';
import type { Statement } from '../../sql/statement';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { renameTableContractId } from '../compatibility-view';
import { startWatching, stopWatching, viewWriteWatch, type WatchedShape } from '../contract-usage';

const ID = 'rename-table';

function sameShape(a: Table, b: Table): boolean {
  return a.columns.length === b.columns.length && a.columns.every((c) => b.columns.some((d) => d.name === c.name && sameColumnType(c, d)));
}

function viewStatements(oldName: QualifiedName, newName: QualifiedName): { create: Statement; drop: Statement } {
  return {
    create: statement(`CREATE VIEW ${qualified(oldName)} AS SELECT * FROM ${qualified(newName)}`, 'ACCESS SHARE', newName),
    drop: statement(`DROP VIEW IF EXISTS ${qualified(oldName)}`, null, null),
  };
}

function renamePlan(change: Extract<Change, { kind: 'RenameTable' }>): RuleOutcome {
  const oldName = { schema: change.from.schema, name: change.from.name };
  const newName = { schema: change.to.schema, name: change.to.name };
  const view = viewStatements(oldName, newName);
  const behindView = `--rename was given; the same transaction creates the view ${displayName(oldName)} over the renamed table, so clients using the old name keep reading and writing`;
  const rename = waive(statement(`ALTER TABLE ${qualified(oldName)} RENAME TO ${ident(newName.name)}`, 'ACCESS EXCLUSIVE', oldName), ['renaming-table'], behindView);
  const renameBack = waive(statement(`ALTER TABLE ${qualified(newName)} RENAME TO ${ident(oldName.name)}`, 'ACCESS EXCLUSIVE', newName), ['renaming-table'], `${RESTORES_BEFORE_UP}; the compatibility view is dropped first`);
  const id = renameTableContractId(oldName);
  // What the contract retires, watched from the expand on: writes through the view, reads naming the old name.
  const shape: WatchedShape = { contract: id, schema: oldName.schema, table: oldName.name, column: null };
  const watch = viewWriteWatch(newName, shape);
  const expand: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: false,
    slug: `rename_${oldName.name}_to_${newName.name}`,
    summary: `rename table ${displayName(oldName)} to ${newName.name}, with a view under the old name`,
    why: `RENAME and CREATE VIEW are catalog-only (ACCESS EXCLUSIVE for an instant); in one transaction no client ever sees neither name, and the old application reads and writes ${oldName.name} through the auto-updatable view`,
    up: [rename, view.create, ...startWatching(shape), ...watch.create],
    down: [...watch.drop, stopWatching(shape), view.drop, renameBack],
  };
  const contract: PendingContract = {
    id,
    summary: `drop the compatibility view ${displayName(oldName)} (table renamed to ${newName.name})`,
    covers: [],
    fragments: [{
      stage: STAGE.schema, phase: 'contract', content: 'schema', transactional: true, mergeable: true,
      slug: `drop_view_${oldName.name}`,
      summary: `drop the compatibility view ${displayName(oldName)}`,
      why: `no deployed code uses the name ${oldName.name} any more; dropping a view is catalog-only`,
      up: [view.drop, ...watch.drop, stopWatching(shape)],
      down: [view.create, ...watch.create],
    }],
  };
  return { kind: 'plan', fragments: [expand], contract };
}

function suggestRename(change: Extract<Change, { kind: 'CreateTable' }>, ctx: PlanContext): DecisionRequest | null {
  if (ctx.decisions.allowDestructive) return null;
  const wanted = (t: QualifiedName) => ctx.to.tables.some((w) => w.schema === t.schema && w.name === t.name);
  const renamedAway = (t: QualifiedName) => ctx.decisions.tableRenames.some((r) => r.from.schema === t.schema && r.from.name === t.name);
  const candidate = ctx.from.tables.find((t) => t.schema === change.table.schema && !wanted(t) && !renamedAway(t) && sameShape(t, change.definition));
  if (!candidate) return null;
  const from = displayName(candidate);
  return {
    rule: ID,
    reason: `table ${from} is no longer in the entities and ${displayName(change.table)} appears with the same columns: if it is a rename, creating an empty ${change.table.name} would leave the data behind in ${candidate.name}.`,
    flag: `--rename ${from}=${change.table.name}  (or --allow-destructive to create ${change.table.name} and drop ${candidate.name})`,
    renameSpec: `${from}=${change.table.name}`,
    wouldDo: `rename ${candidate.name} to ${change.table.name} and create a view ${candidate.name} over it in one transaction (old clients keep working) → later, \`gen diff --contract\` drops the view`,
  };
}

export const renameTable = defineRule({
  id: ID,
  kinds: ['RenameTable', 'CreateTable'],
  // A CreateTable is this rule's only to ask whether it is a rename. Moving to another schema is not a
  // rename pgshift can cover with a view in the same place (direct does it).
  claims: (change, ctx) => (change.kind === 'CreateTable' ? suggestRename(change, ctx) !== null : change.from.schema === change.to.schema),
  plan(change, ctx): RuleOutcome {
    if (change.kind === 'CreateTable') return { kind: 'needs', request: suggestRename(change, ctx)! };
    return renamePlan(change);
  },
});
