/**
 * Rule `drop-view`: a view is never dropped silently.
 *  - `gone` (no entity describes it; the diff only says so with --drop-unmanaged): refused unless
 *    `--allow-destructive`, then a contract step whose down creates it again, as tables are;
 *  - `dependency` (it reads a column or table that the plan changes in a way Postgres refuses beneath a
 *    view): dropped in the plan's first schema file, before those changes; create-view brings it back in
 *    the last stage, so it is missing in between — unless every such change goes expand → contract and
 *    leaves the old column in place this run: then it stays (a type change's contract carries it around
 *    the swap) or, redefined by its entity, is dropped and created in the last stage. One no entity
 *    describes is refused unless `--recreate-views` (re-created from the catalog), and always when the
 *    plan removes what it reads;
 *  - `redefined` (its definition changed beyond CREATE OR REPLACE, or it is materialized): dropped in the
 *    last stage right before create-view creates it again, in the same transaction — readers wait for an
 *    instant (a materialized view: while its query runs) and never see it missing.
 * See drop-view.md.
 */
import type { Change } from '../../diff/change';
import { createViewStatements, dropViewStatement } from '../object-change-sql';
import { ALLOW_DESTRUCTIVE } from './destructive-guard';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { defineRule, type PlanContext, type RuleOutcome } from '../rule';
import { keepsOldShape, removedBeneath } from '../view-dependency';
import { viewStaysAsItIs } from '../views-over';
import type { View } from '../../model/schema';

/** Lets pgshift drop and re-create, from the catalog, the views no entity describes (decisions.ts). */
export const RECREATE_VIEWS = '--recreate-views';

function dropFragment(change: Change, view: View, stage: number, phase: Fragment['phase'], why: string): Fragment {
  return {
    stage,
    phase,
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: changeSlug(change),
    summary: describeChange(change),
    why,
    up: [dropViewStatement(view)],
    // The view as the catalog has it: its printed definition, and a materialized view's indexes.
    down: createViewStatements(view, RESTORES_BEFORE_UP),
  };
}

function redefinedPlan(change: Change, view: View): RuleOutcome {
  return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.views, 'direct',
    `its new definition changes columns it has, which CREATE OR REPLACE cannot do${view.materialized ? ' (a materialized view has no OR REPLACE)' : ''}: dropped and created again in this one transaction, so readers wait but never see it missing`)] };
}

/**
 * A view no entity describes, in the way of a change beneath it: re-created from the catalog's
 * definition only when asked (its grants, comments and options would not come back), and never when
 * the plan removes what it reads (no definition of it could be created again).
 */
function unmanagedRefusal(view: View, around: readonly Change[], ctx: PlanContext): RuleOutcome | null {
  const kind = view.materialized ? 'materialized view' : 'view';
  const removed = removedBeneath(view, around);
  if (removed.length > 0) {
    return { kind: 'refused', request: {
      rule: 'drop-view',
      reason: `${kind} ${displayName(view)}, which no entity describes, reads ${removed.join(' and ')}: it could not be created again afterwards. Describe it in an entity over the new shape, or drop it first`,
      flag: `${ALLOW_DESTRUCTIVE} --drop-unmanaged`,
      wouldDo: `a contract file: ${dropViewStatement(view).sql}`,
    } };
  }
  if (ctx.decisions.recreateViews) return null;
  return { kind: 'refused', request: {
    rule: 'drop-view',
    reason: `${kind} ${displayName(view)}, which no entity describes, reads what this plan changes (${around.map(describeChange).join('; ')}), which PostgreSQL refuses beneath a view: the migration would fail`,
    flag: RECREATE_VIEWS,
    wouldDo: `drop ${displayName(view)} before the change and create it again after it from its catalog definition (pg_get_viewdef${view.materialized ? ', and its indexes' : ''}); its grants, comments and options are not kept. Or describe it in a @ViewEntity`,
  } };
}

/**
 * `dependency`: out of the way before the changes beneath it, back after them. A change that goes
 * expand → contract keeps the old column through this run: the view stays as it is (or is redefined in
 * the last stage), and a type change's contract carries it around its swap (views-over.ts).
 */
function planDependency(change: Extract<Change, { kind: 'DropView' }>, view: View, ctx: PlanContext): RuleOutcome {
  const around = change.around ?? [];
  const managed = (ctx.to.views ?? []).some((v) => v.schema === view.schema && v.name === view.name);
  if (!managed) {
    const refusal = unmanagedRefusal(view, around, ctx);
    if (refusal) return refusal;
  }
  if (around.length > 0 && around.every((c) => keepsOldShape(c, ctx))) {
    return viewStaysAsItIs(view, ctx) ? { kind: 'plan', fragments: [] } : redefinedPlan(change, view);
  }
  return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.schema, 'direct',
    `${displayName(view)} reads what this plan changes, which PostgreSQL refuses beneath a view: it is dropped first and created again in the plan's last file (queries on it fail in between); dropping it is catalog only`)] };
}

export const dropView = defineRule({
  id: 'drop-view',
  kinds: ['DropView'],
  claims: () => true,
  plan(change, ctx): RuleOutcome {
    const { view } = change;
    const kind = view.materialized ? 'materialized view' : 'view';
    if (change.reason === 'dependency') return planDependency(change, view, ctx);
    if (change.reason === 'redefined') return redefinedPlan(change, view);
    if (!ctx.decisions.allowDestructive) {
      return {
        kind: 'refused',
        request: {
          rule: 'drop-view',
          reason: `${describeChange(change)}: no entity describes this ${kind}; queries that still use it fail`,
          flag: ALLOW_DESTRUCTIVE,
          wouldDo: `a contract file after every other step of the plan: ${dropViewStatement(view).sql}; deploy code that no longer uses it first`,
        },
      };
    }
    const around = change.around ?? [];
    if (around.length > 0 && !around.every((c) => keepsOldShape(c, ctx))) {
      // In the way of a change of this run: it must be gone before that change, not after everything.
      return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.schema, 'direct',
        `${ALLOW_DESTRUCTIVE} --drop-unmanaged was given, and the ${kind} reads what this plan changes (which PostgreSQL refuses beneath a view): dropped before that change. Dropping it is catalog only`)] };
    }
    return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.contract, 'contract',
      `${ALLOW_DESTRUCTIVE} was given; a contract step runs after every other step of this plan, once deployed code no longer uses the ${kind}. Dropping it is catalog only`)] };
  },
});
