/**
 * Rule `add-check-not-valid`: a CHECK constraint on an existing table is added NOT VALID (instant), then
 * validated in a later file (SHARE UPDATE EXCLUSIVE scan). Both files carry a data check counting the
 * rows that violate it, so `up` refuses with sample keys before either lock. See add-check-not-valid.md.
 */
import { defineRule, isNewTable, type PlanContext } from '../rule';
import { checkSource, type QualifiedName } from '../../model/schema';
import { changeSlug, describeChange } from '../describe';
import type { RuleOutcome } from '../rule';
import { notValidThenValidate } from '../not-valid-then-validate';
import { findTable } from '../model-lookup';
import { primaryKeyNow, type Precheck } from '../precheck';
import { referencesAnyColumn } from '../../sql/expression-facts';

/** Columns the plan adds to `table`: a check naming one means nothing on today's data. */
function addedColumns(ctx: PlanContext, table: QualifiedName): string[] {
  const now = new Set(findTable(ctx.from, table)?.columns.map((c) => c.name) ?? []);
  return (findTable(ctx.to, table)?.columns ?? []).map((c) => c.name).filter((c) => !now.has(c));
}

function violationsPrecheck(table: QualifiedName, constraint: string, expression: string, ctx: PlanContext): Precheck {
  return {
    kind: 'check', table, constraint, expression, primaryKey: primaryKeyNow(ctx.from, table),
    atPlanTime: !referencesAnyColumn(expression, addedColumns(ctx, table)),
  };
}

export const addCheckNotValid = defineRule({
  id: 'add-check-not-valid',
  kinds: ['AddCheck'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    const expression = checkSource(change.check);
    return {
      kind: 'plan',
      fragments: notValidThenValidate({
        table: change.table,
        name: change.check.name,
        body: `CHECK (${expression})`,
        addLock: 'ACCESS EXCLUSIVE',
        slug: changeSlug(change),
        what: describeChange(change),
        failsWhen: `a row violates ${change.check.expression}`,
        prechecks: [violationsPrecheck(change.table, change.check.name, expression, ctx)],
      }),
    };
  },
});
