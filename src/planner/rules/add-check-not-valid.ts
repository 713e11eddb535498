/**
 * Rule `add-check-not-valid`: a CHECK constraint on an existing table is added NOT VALID (instant), then
 * validated in a later file (SHARE UPDATE EXCLUSIVE scan). See add-check-not-valid.md.
 */
import { defineRule, isNewTable } from '../rule';
import { checkSource } from '../../model/schema';
import { changeSlug, describeChange } from '../describe';
import type { RuleOutcome } from '../rule';
import { notValidThenValidate } from '../not-valid-then-validate';

export const addCheckNotValid = defineRule({
  id: 'add-check-not-valid',
  kinds: ['AddCheck'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
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
});
