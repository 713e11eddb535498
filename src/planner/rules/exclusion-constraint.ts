/**
 * Rule `exclusion-constraint`: `ADD CONSTRAINT … EXCLUDE` has no safe form on a table that holds rows:
 * there is no NOT VALID for EXCLUDE and no `USING INDEX` to attach a concurrently built index, so the
 * index is built and every row checked while ACCESS EXCLUSIVE is held. On an existing table it is refused
 * with that reason and `--allow-destructive`; with the flag it is planned as the documented exception,
 * alone in its file. A new table gets it in its CREATE TABLE (empty, unused). A changed exclusion (same
 * name) is dropped and added in that one file; dropping one the entities no longer have removes a
 * guarantee and needs the flag, as a contract step. See exclusion-constraint.md.
 */
import { invertChange, type Change } from '../../diff/change';
import type { ExclusionConstraint, QualifiedName } from '../../model/schema';
import { directStatements } from '../change-sql';
import { addExclusionStatement } from '../object-change-sql';
import { ALLOW_DESTRUCTIVE, contractFragment, destructiveRequest } from './destructive-guard';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { currentTable, targetTable } from '../model-lookup';
import { defineRule, isNewTable, type PlanContext, type RuleOutcome } from '../rule';

function lockWords(table: QualifiedName): string {
  return `EXCLUDE has no NOT VALID and no USING INDEX: adding it builds its index and checks every row while holding ` +
    `ACCESS EXCLUSIVE on ${displayName(table)}, so reads and writes wait for the whole build`;
}

/** The exclusion the other side has under the same name: then this is a redefinition, not an add or a drop. */
function sameNamed(list: readonly ExclusionConstraint[] | undefined, name: string): ExclusionConstraint | undefined {
  return (list ?? []).find((x) => x.name === name);
}

function addFragment(change: Extract<Change, { kind: 'AddExclusion' }>, ctx: PlanContext): Fragment {
  const old = sameNamed(currentTable(ctx, change.table)?.exclusions, change.exclusion.name);
  const drop = old ? directStatements({ kind: 'DropExclusion', table: change.table, exclusion: old }) : [];
  const fresh = isNewTable(ctx, change.table);
  // squawk asks for NOT VALID, which EXCLUDE does not have: the flag (or an empty new table) is the reason.
  const add = waive(addExclusionStatement(change.table, change.exclusion, fresh ? 'instant' : 'build'), ['constraint-missing-not-valid'],
    fresh ? 'the table is created in this same plan: empty and unused' : `${ALLOW_DESTRUCTIVE} was given: EXCLUDE has no NOT VALID form`);
  const undo = [
    ...directStatements(invertChange(change), RESTORES_BEFORE_UP),
    ...(old ? [waive(addExclusionStatement(change.table, old), ['constraint-missing-not-valid'], RESTORES_BEFORE_UP)] : []),
  ];
  return {
    stage: STAGE.attach,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    // Alone: the build's lock is held for nothing else.
    mergeable: false,
    slug: changeSlug(change),
    summary: old ? `replace exclusion ${old.name} on ${displayName(change.table)}` : describeChange(change),
    why: isNewTable(ctx, change.table)
      ? 'the table is created in this same plan: no application reads or writes it yet'
      : `${ALLOW_DESTRUCTIVE} was given: the user accepted that ${lockWords(change.table)}; statement_timeout bounds it, and a row that conflicts makes it fail and roll back`,
    up: [...drop, add],
    down: undo,
  };
}

export const exclusionConstraint = defineRule({
  id: 'exclusion-constraint',
  kinds: ['AddExclusion', 'DropExclusion'],
  claims: () => true,
  plan(change, ctx): RuleOutcome {
    if (change.kind === 'DropExclusion') {
      // A redefinition: the AddExclusion of the same name drops the old one in its own file.
      if (sameNamed(targetTable(ctx, change.table)?.exclusions, change.exclusion.name)) return { kind: 'plan', fragments: [] };
      if (!ctx.decisions.allowDestructive) return { kind: 'refused', request: { ...destructiveRequest(change, ctx), rule: 'exclusion-constraint' } };
      return { kind: 'plan', fragments: [contractFragment(change, ctx)] };
    }
    if (!isNewTable(ctx, change.table) && !ctx.decisions.allowDestructive) {
      return {
        kind: 'refused',
        request: {
          rule: 'exclusion-constraint',
          reason: `${describeChange(change)}: ${lockWords(change.table)}`,
          flag: ALLOW_DESTRUCTIVE,
          wouldDo: `ALTER TABLE ${displayName(change.table)} ADD CONSTRAINT ${change.exclusion.name} EXCLUDE … alone in a transactional file under lock_timeout and statement_timeout; run it in a maintenance window`,
        },
      };
    }
    return { kind: 'plan', fragments: [addFragment(change, ctx)] };
  },
});
