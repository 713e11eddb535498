/**
 * Rule `enum-add-value`: `ALTER TYPE … ADD VALUE` in a file of its own, first in the plan.
 *
 * Since PG 12 ADD VALUE may run inside a transaction block (golang-migrate's implicit transaction for a
 * file), but the new label cannot be *used* until that transaction commits ("unsafe use of new value").
 * So the label gets its own transactional file at stage `enumValue`, before any file that may set a
 * default or write rows with it. `BEFORE`/`AFTER` keeps the entity's order (a plain append would change
 * what `<` and `ORDER BY` mean for the new label). No table is locked or rewritten.
 *
 * Postgres cannot remove a label, so the down rebuilds the type without it (and moves every column of
 * that type over); it fails, and rolls back, if any row still holds the label.
 */
import { invertChange } from '../../diff/change';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { literal, qualified } from '../../sql/quote';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE } from '../fragment';
import type { RuleOutcome } from '../rule';
import { defineRule } from '../rule';
import { RESTORES_BEFORE_UP } from '../lint-waiver';

const ID = 'enum-add-value';

export const enumAddValue = defineRule({
  id: ID,
  kinds: ['AddEnumValue'],
  claims: () => true,
  plan(change): RuleOutcome {
    const place = change.before !== null ? ` BEFORE ${literal(change.before)}` : change.after !== null ? ` AFTER ${literal(change.after)}` : '';
    const usedBy = change.usages.map((u) => `${displayName(u.table)}.${u.column.name}`);
    return {
      kind: 'plan',
      fragments: [{
        stage: STAGE.enumValue, phase: 'direct', content: 'schema', transactional: true, mergeable: false,
        slug: changeSlug(change),
        summary: describeChange(change),
        why: 'adding a label is catalog-only and locks no table; it is alone in its file because the label is usable only once this transaction has committed',
        // IF NOT EXISTS: a re-run after a partial failure does not fail on a label that is already there.
        up: [statement(`ALTER TYPE ${qualified(change.enumType)} ADD VALUE IF NOT EXISTS ${literal(change.value)}${place}`, null, null)],
        down: directStatements(invertChange(change), RESTORES_BEFORE_UP),
        downNote: `a label cannot be removed in place: the type is rebuilt without '${change.value}'${usedBy.length > 0 ? ` and ${usedBy.join(', ')} rewritten under ACCESS EXCLUSIVE` : ''}; it fails (and rolls back) while any row holds '${change.value}'`,
      }],
    };
  },
});
