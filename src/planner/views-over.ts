/**
 * The views over a column, as they stand once this plan's direct steps ran, and the SQL that carries
 * them around a contract step that swaps or drops the column. PostgreSQL refuses to drop a column a view
 * reads (and ALTER … TYPE beneath one); a rename follows the view's reference, so a view over the old
 * column would move to the retired one and stop the contract's DROP COLUMN. The contract therefore drops
 * the views first and creates them again after its swap, in its one transaction.
 */
import { creationOrder } from '../diff/view-diff';
import { sameIndex } from '../diff/match';
import { qualifiedKey, sameName, type QualifiedName, type View } from '../model/schema';
import { displayName } from '../model/schema';
import type { Fragment } from './fragment';
import { createViewStatements, dropViewStatement } from './object-change-sql';
import type { PlanContext } from './rule';

/**
 * Whether `view` reads `table.column` (column null: the table at all). As PostgreSQL records it: the
 * column-level dependencies of the view's rule, the ones that stop a DROP COLUMN or ALTER … TYPE.
 */
export function readsColumn(view: View, table: QualifiedName, column: string | null): boolean {
  return view.reads.some((read) => sameName(read, table) && (column === null || read.columns.includes(column)));
}

/**
 * The views once the direct steps of this plan ran: the entities' (with what the catalog knows of one
 * the server could not cook) and the ones no entity describes, as the catalog has them.
 */
function viewsAfterPlan(ctx: PlanContext): View[] {
  const wanted = ctx.to.views ?? [];
  const current = new Map((ctx.from.views ?? []).map((v) => [qualifiedKey(v), v]));
  const known = wanted.map((v) => (v.reads.length > 0 ? v : { ...v, reads: current.get(qualifiedKey(v))?.reads ?? [] }));
  const wantedKeys = new Set(wanted.map(qualifiedKey));
  return [...known, ...(ctx.from.views ?? []).filter((v) => !wantedKeys.has(qualifiedKey(v)))];
}

/** The views over `table.column` and the views that read those, in an order they can be created in. */
export function viewsOverColumn(ctx: PlanContext, table: QualifiedName, column: string): View[] {
  const views = viewsAfterPlan(ctx);
  const found = new Set(views.filter((v) => readsColumn(v, table, column)).map(qualifiedKey));
  for (let grew = true; grew;) {
    grew = false;
    for (const view of views) {
      if (found.has(qualifiedKey(view))) continue;
      if (![...view.reads, ...(view.dependsOn ?? [])].some((r) => found.has(qualifiedKey(r)))) continue;
      found.add(qualifiedKey(view));
      grew = true;
    }
  }
  return creationOrder(views).filter((v) => found.has(qualifiedKey(v)));
}

/** The entity's view is the catalog's as it is (same kind, definition and indexes): nothing to redo. */
export function viewUnchanged(view: View, ctx: PlanContext): boolean {
  const target = (ctx.to.views ?? []).find((v) => sameName(v, view));
  if (!target) return true;
  return target.materialized === view.materialized && target.definition === view.definition
    && target.indexes.length === view.indexes.length
    && target.indexes.every((i) => view.indexes.some((j) => j.name === i.name && sameIndex(i, j)));
}

/**
 * The view and every view it reads (through each other) are the catalog's as they are: it can stay
 * where it is. A view over one that is dropped and created again must go with it.
 */
export function viewStaysAsItIs(view: View, ctx: PlanContext, seen: Set<string> = new Set()): boolean {
  if (seen.has(qualifiedKey(view))) return true;
  seen.add(qualifiedKey(view));
  if (!viewUnchanged(view, ctx)) return false;
  const current = ctx.from.views ?? [];
  return view.reads.every((read) => {
    const readView = current.find((v) => sameName(v, read));
    return readView === undefined || viewStaysAsItIs(readView, ctx, seen);
  });
}

/**
 * `fragment` with `views` dropped before its statements and created again after them, both ways (the
 * down leaves the views as the up found them). A materialized view runs its query again inside the
 * transaction, while the fragment's locks are held: the header says so.
 */
export function aroundViews(fragment: Fragment, views: readonly View[], table: QualifiedName): Fragment {
  if (views.length === 0) return fragment;
  const fresh = 'created again in this same transaction, before any reader can see it';
  const drops = [...views].reverse().map(dropViewStatement);
  const creates = views.flatMap((v) => createViewStatements(v, fresh));
  const materialized = views.filter((v) => v.materialized).map((v) => displayName(v));
  const names = views.map((v) => displayName(v)).join(', ');
  const filled = materialized.length === 0 ? ''
    : `; the materialized view${materialized.length > 1 ? 's' : ''} ${materialized.join(', ')} run${materialized.length > 1 ? '' : 's'} ` +
      `its query again to fill itself while ACCESS EXCLUSIVE is held on ${displayName(table)}: reads and writes wait for that query, so time it on a copy first`;
  return {
    ...fragment,
    summary: `${fragment.summary}, with the views over it (${names}) dropped and created again around it`,
    why: `${fragment.why}; PostgreSQL refuses the column change beneath a view, so ${names} ${views.length > 1 ? 'are' : 'is'} dropped and created again in the same transaction: readers wait, never see ${views.length > 1 ? 'them' : 'it'} missing${filled}`,
    up: [...drops, ...fragment.up, ...creates],
    down: [...drops, ...fragment.down, ...creates],
  };
}
