/**
 * Rule `direct`: the change as one plain statement (or a few), in the plan's transactional schema file.
 * It takes the changes no safety rule claims: catalog-only changes,
 * and anything on a table this same plan creates (no application uses it yet).
 */
import { defineRule, isNewTable } from '../rule';
import type { Change } from '../../diff/change';
import { directStatements } from '../change-sql';
import { changeSlug, describeChange } from '../describe';
import { STAGE, type Fragment } from '../fragment';
import { CHANGE_KINDS, invertChange } from '../../diff/change';
import type { PlanContext, RuleOutcome } from '../rule';
import type { Statement } from '../../sql/statement';
import { RESTORES_BEFORE_UP } from '../lint-waiver';

const WHY: Partial<Record<Change['kind'], string>> = {
  CreateSchema: 'creating a schema touches no existing table',
  CreateExtension: 'creating an extension touches no existing table',
  CreateEnum: 'a new type touches no existing table',
  CreateTable: 'a new table has no readers or writers yet; its indexes are built while it is empty',
  AddColumn: 'a nullable column, or one with a constant default, is a catalog-only change on PG 11+: the lock is held for an instant, bounded by lock_timeout',
  SetDefault: 'changing a default only affects future inserts; existing rows are not touched',
  DropNotNull: 'dropping NOT NULL is catalog-only; no rows are read',
  SetColumnComment: 'comments are catalog-only',
  SetTableComment: 'comments are catalog-only',
  AddEnumValue: 'adding a label is catalog-only',
  AlterColumnType: '--allow-destructive was given: the plain ALTER … TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE (reads and writes wait); pgshift cannot move this column to a new-type copy',
  RebuildEnum: 'reordering labels needs a new type: every column of it is converted under ACCESS EXCLUSIVE (PostgreSQL cannot reorder labels in place); no value is lost',
};

const NEW_TABLE = 'the table is created in this same plan: no application reads or writes it yet';

function onTableOfThisPlan(change: Change, ctx: PlanContext): boolean {
  const table = 'table' in change && change.kind !== 'CreateTable' && change.kind !== 'DropTable' ? change.table : null;
  return table !== null && 'schema' in table && isNewTable(ctx, table);
}

function whyFor(change: Change, ctx: PlanContext): string {
  if (onTableOfThisPlan(change, ctx)) return NEW_TABLE;
  return WHY[change.kind] ?? 'catalog-only change; the lock is held for an instant, bounded by lock_timeout';
}

/**
 * Why squawk's finding on the direct form is taken on purpose, or undefined: only for a table this plan
 * creates and for the kinds whose direct form is the chosen one (WHY). Anything else that
 * reaches direct unclaimed keeps squawk's finding, a second line of defence against a rule that missed it.
 */
function waiverReason(change: Change, ctx: PlanContext): string | undefined {
  return onTableOfThisPlan(change, ctx) ? NEW_TABLE : WHY[change.kind];
}

/** On a table this plan creates, nothing waits and nothing is scanned: the table is empty and unused. */
function onNewTable(statements: readonly Statement[], ctx: PlanContext): Statement[] {
  return statements.map((s) => (s.table && isNewTable(ctx, s.table) ? { ...s, rewrites: false, duration: 'instant' } : s));
}

export function directFragment(change: Change, ctx: PlanContext): Fragment {
  const isEnumValue = change.kind === 'AddEnumValue';
  return {
    // A new enum label cannot be used in the transaction that adds it: it gets its own, earlier file.
    stage: isEnumValue ? STAGE.enumValue : STAGE.schema,
    phase: change.kind.startsWith('Drop') ? 'contract' : 'direct',
    content: 'schema',
    transactional: true,
    mergeable: !isEnumValue,
    slug: changeSlug(change),
    summary: describeChange(change),
    why: whyFor(change, ctx),
    up: onNewTable(directStatements(change, waiverReason(change, ctx)), ctx),
    down: onNewTable(directStatements(invertChange(change), RESTORES_BEFORE_UP), ctx),
  };
}

/** Every kind, and every change no other rule claims: the planner falls back to it (plan.ts). */
export const direct = defineRule({
  id: 'direct',
  kinds: CHANGE_KINDS,
  claims: () => true,
  plan(change, ctx): RuleOutcome {
    return { kind: 'plan', fragments: [directFragment(change, ctx)] };
  },
});
