/**
 * Rule `drop-view`: a view is never dropped silently.
 *  - `gone` (no entity describes it; the diff only says so with --drop-unmanaged): refused unless
 *    `--allow-destructive`, then a contract step whose down creates it again, as tables are;
 *  - `dependency` (it reads a column or table that the plan changes in a way Postgres refuses beneath a
 *    view): dropped in the plan's first schema file, before those changes; create-view brings it back in
 *    the last stage, so it is missing in between;
 *  - `redefined` (its definition changed beyond CREATE OR REPLACE, or it is materialized): dropped in the
 *    last stage right before create-view creates it again, in the same transaction — readers wait for an
 *    instant (a materialized view: while its query runs) and never see it missing.
 * See drop-view.md.
 */
import type { Change } from '../../diff/change';
import { createViewStatements, dropViewStatement } from '../object-change-sql';
import { ALLOW_DESTRUCTIVE } from './destructive-guard';
import { changeSlug, describeChange, displayName } from '../describe';
import { STAGE, type Fragment } from '../fragment';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { defineRule, type RuleOutcome } from '../rule';
import type { View } from '../../model/schema';

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

export const dropView = defineRule({
  id: 'drop-view',
  kinds: ['DropView'],
  claims: () => true,
  plan(change, ctx): RuleOutcome {
    const { view } = change;
    const kind = view.materialized ? 'materialized view' : 'view';
    if (change.reason === 'dependency') {
      return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.schema, 'direct',
        `${displayName(view)} reads what this plan changes, which PostgreSQL refuses beneath a view: it is dropped first and created again in the plan's last file (queries on it fail in between); dropping it is catalog only`)] };
    }
    if (change.reason === 'redefined') {
      return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.views, 'direct',
        `its new definition changes columns it has, which CREATE OR REPLACE cannot do${view.materialized ? ' (a materialized view has no OR REPLACE)' : ''}: dropped and created again in this one transaction, so readers wait but never see it missing`)] };
    }
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
    return { kind: 'plan', fragments: [dropFragment(change, view, STAGE.contract, 'contract',
      `${ALLOW_DESTRUCTIVE} was given; a contract step runs after every other step of this plan, once deployed code no longer uses the ${kind}. Dropping it is catalog only`)] };
  },
});
