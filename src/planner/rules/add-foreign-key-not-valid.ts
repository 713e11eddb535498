/**
 * Rule `add-foreign-key-not-valid`: a foreign key on an existing table is added NOT VALID (instant),
 * then validated in a later file (SHARE UPDATE EXCLUSIVE scan). When the referencing table is new in
 * this plan it is empty and `direct` adds the key plainly — even if the referenced table is existing.
 * See add-foreign-key-not-valid.md.
 */
import { defineRule, isNewTable } from '../rule';
import { foreignKeyClause } from '../../sql/column-sql';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import type { RuleOutcome } from '../rule';
import { notValidThenValidate } from '../not-valid-then-validate';
import { existsNow, primaryKeyNow } from '../precheck';

export const addForeignKeyNotValid = defineRule({
  id: 'add-foreign-key-not-valid',
  kinds: ['AddForeignKey'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    const fk = change.foreignKey;
    const referenced = displayName(fk.referencedTable);
    return {
      kind: 'plan',
      fragments: notValidThenValidate({
        table: change.table,
        name: fk.name,
        body: foreignKeyClause(fk),
        addLock: 'SHARE ROW EXCLUSIVE',
        slug: changeSlug(change),
        what: describeChange(change),
        addWhy: `the same brief SHARE ROW EXCLUSIVE lock is taken on ${referenced}`,
        failsWhen: `a row of ${displayName(change.table)} points at a missing ${referenced} row`,
        prechecks: [{
          kind: 'foreign-key', table: change.table, primaryKey: primaryKeyNow(ctx.from, change.table), constraint: fk.name,
          columns: fk.columns, referencedTable: fk.referencedTable, referencedColumns: fk.referencedColumns,
          atPlanTime: existsNow(ctx.from, change.table, fk.columns) && existsNow(ctx.from, fk.referencedTable, fk.referencedColumns),
        }],
      }),
    };
  },
});
