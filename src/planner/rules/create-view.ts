/**
 * Rule `create-view`: views are created (CREATE VIEW, CREATE MATERIALIZED VIEW with its indexes) or
 * replaced (CREATE OR REPLACE VIEW, when the old columns lead the new ones unchanged) in the plan's last
 * stage, after everything they may read has its final shape; the diff orders them after the views they
 * read. None of it blocks the tables read: a view is catalog only, and a materialized view runs its query
 * under ACCESS SHARE to fill itself. See create-view.md.
 */
import type { Change } from '../../diff/change';
import { createViewStatements, dropViewStatement, replaceViewStatement } from '../object-change-sql';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { defineRule, type PlanContext, type RuleOutcome } from '../rule';
import { keepsOldShape, removedBeneath } from '../view-dependency';
import { viewStaysAsItIs } from '../views-over';
import { canReplaceView, dependentViews } from '../../diff/view-diff';
import type { View } from '../../model/schema';

function viewFragment(change: Change, up: Fragment['up'], down: Fragment['down'], why: string): Fragment {
  return {
    stage: STAGE.views,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: changeSlug(change),
    summary: describeChange(change),
    why,
    up,
    down,
  };
}

function createWhy(view: View): string {
  return view.materialized
    ? `a new materialized view fills itself by running its query, which reads the tables under ACCESS SHARE (writes continue); its indexes are built while no application reads it yet`
    : 'a view is catalog only: creating it reads no rows and blocks no table';
}

/** A view over what the plan removes could never be created: refused, naming what it reads. */
function removalRefusal(view: View, removed: readonly string[]): RuleOutcome {
  return { kind: 'refused', request: {
    rule: 'create-view',
    reason: `view ${displayName(view)} reads ${removed.join(' and ')}: creating it after that change would fail. Write its query over the new shape`,
    flag: 'no flag: change the @ViewEntity expression to read the new shape',
  } };
}

function planCreate(change: Extract<Change, { kind: 'CreateView' }>, ctx: PlanContext): RuleOutcome {
  const { view } = change;
  const around = change.around ?? [];
  const managed = (ctx.to.views ?? []).some((v) => v.schema === view.schema && v.name === view.name);
  // A view no entity describes is refused (or not) once, by drop-view.
  const removed = managed ? removedBeneath(view, around) : [];
  if (removed.length > 0) return removalRefusal(view, removed);
  // Dropped only for changes that leave the old column in place this run (drop-view kept it): nothing to redo.
  const current = (ctx.from.views ?? []).find((v) => v.schema === view.schema && v.name === view.name);
  if (current && around.length > 0 && around.every((c) => keepsOldShape(c, ctx)) && viewStaysAsItIs(current, ctx)) {
    return { kind: 'plan', fragments: [] };
  }
  return { kind: 'plan', fragments: [viewFragment(change, createViewStatements(view), [dropViewStatement(view)], createWhy(view))] };
}

export const createView = defineRule({
  id: 'create-view',
  kinds: ['CreateView', 'ReplaceView'],
  claims: () => true,
  plan(change, ctx): RuleOutcome {
    if (change.kind === 'CreateView') return planCreate(change, ctx);
    // Back to the old definition: OR REPLACE again when the columns allow it (the same columns), else
    // drop and create it as it was.
    // OR REPLACE cannot take the added columns away: the down drops and creates it, and with it the
    // views that read it (as the catalog has them before this plan).
    const dependents = dependentViews(ctx.from.views ?? [], change.from);
    const down = canReplaceView(change.to, change.from)
      ? [replaceViewStatement(change.from)]
      : [
        ...[...dependents].reverse().map(dropViewStatement),
        dropViewStatement(change.to),
        ...createViewStatements(change.from, RESTORES_BEFORE_UP),
        ...dependents.flatMap((v) => createViewStatements(v, RESTORES_BEFORE_UP)),
      ];
    const why = `CREATE OR REPLACE VIEW keeps the columns ${displayName(change.from)} has and only adds new ones at the end: ` +
      'catalog only, ACCESS EXCLUSIVE on the view for an instant (bounded by lock_timeout); views that read it stay valid';
    return { kind: 'plan', fragments: [viewFragment(change, [replaceViewStatement(change.to)], down, why)] };
  },
});
