/**
 * Rule `add-check-not-valid`: a CHECK constraint on an existing table is added NOT VALID (instant), then
 * validated in a later file (SHARE UPDATE EXCLUSIVE scan). See add-check-not-valid.md.
 */
import type { Change } from '../../diff/change';
import { checkSource } from '../../model/schema';
import { changeSlug, describeChange } from '../describe';
import type { PlanContext, Rule, RuleOutcome } from '../rule';
import { isNewTable } from '../rule';
import { notValidThenValidate } from '../not-valid-then-validate';

export const addCheckNotValid: Rule = {
  id: 'add-check-not-valid',
  appliesTo: ['AddCheck'],
  plan(change: Change, ctx: PlanContext): RuleOutcome | undefined {
    if (change.kind !== 'AddCheck' || isNewTable(ctx, change.table)) return undefined;
    return {
      kind: 'plan',
      fragments: notValidThenValidate({
        table: change.table,
        name: change.check.name,
        body: `CHECK (${checkSource(change.check)})`,
        addLock: 'ACCESS EXCLUSIVE',
        slug: changeSlug(change),
        what: describeChange(change),
        failsWhen: `a row violates ${change.check.expression}`,
      }),
    };
  },
};
