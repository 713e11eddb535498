/**
 * Rule `set-not-null-via-check`: `SET NOT NULL` on an existing table without the ACCESS EXCLUSIVE scan,
 * through the shared sequence in ../not-null.ts — PG 12–17: helper `CHECK (col IS NOT NULL) NOT VALID` →
 * VALIDATE (own file) → SET NOT NULL + drop the helper; PG 18: `ADD CONSTRAINT <t_c_not_null> NOT NULL col
 * NOT VALID` → VALIDATE. Optional `--backfill` fills the NULLs first. See set-not-null-via-check.md.
 */
import { defineRule, isNewTable } from '../rule';
import type { QualifiedName } from '../../model/schema';
import { backfillFragment, batchWords } from '../backfill-fragment';
import { ctidBackfillStatement } from '../backfill-by-ctid';
import { backfillKey } from '../decisions';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { currentTable } from '../model-lookup';
import { notNullFragments } from '../not-null';
import { noOpStatement } from '../no-op';
import type { PlanContext, RuleOutcome } from '../rule';
import { ident } from '../../sql/quote';
import { existsNow } from '../precheck';

/**
 * The shared NOT NULL fragments (../not-null.ts), as `direct` steps: on their own they are no expand —
 * no deployment has to happen in between, and nothing is left for a contract. The VALIDATE header says
 * what a live database may answer: rows still holding NULL make it fail (and change nothing).
 */
export function notNullSteps(table: QualifiedName, column: string, ctx: PlanContext, filledFirst = false): Fragment[] {
  const primaryKey = currentTable(ctx, table)?.primaryKey?.columns ?? [];
  const checkAtPlanTime = !filledFirst && existsNow(ctx.from, table, [column]);
  return notNullFragments({ table, column, targetMajor: ctx.targetMajor, primaryKey, checkAtPlanTime }).map((f) => ({
    ...f,
    phase: 'direct',
    ...(f.stage === STAGE.validate
      ? { why: `${f.why}. If a row of ${displayName(table)} still holds NULL in ${column}, VALIDATE fails and changes nothing: fill those rows (or pass --backfill) and run it again` }
      : {}),
  }));
}

/**
 * The rows of `column` still NULL, filled with `value` in batches (keyset by primary key; by ctid when
 * the table has none). `undoneBy` says why its down has nothing to do.
 */
export function fillNullsFragment(table: QualifiedName, column: string, value: string, ctx: PlanContext, undoneBy: string): Fragment {
  const primaryKey = currentTable(ctx, table)?.primaryKey?.columns ?? [];
  const col = ident(column);
  const spec = { table, setSql: `${col} = ${value}`, whereSql: `${col} IS NULL`, batchSize: ctx.decisions.batchSize, batchTimeMs: ctx.decisions.batchTimeMs };
  const slug = `backfill_${table.name}_${column}`;
  const summary = `fill ${displayName(table)}.${column} = ${value} where it is NULL, in batches (${batchWords(ctx.decisions)})`;
  if (primaryKey.length > 0) return backfillFragment({ ...spec, primaryKey, slug, summary, undoneBy });
  return {
    stage: STAGE.backfill, phase: 'backfill', content: 'data', transactional: false, mergeable: false, slug,
    summary: `${summary} (by ctid: ${displayName(table)} has no primary key)`,
    why: `batches (${batchWords(ctx.decisions)}) found by ctid, each committed on its own: row locks only, one short batch at a time; re-running continues where it stopped`,
    up: [ctidBackfillStatement(spec)],
    down: [noOpStatement(undoneBy)],
    downNote: undoneBy,
  };
}

export const setNotNullViaCheck = defineRule({
  id: 'set-not-null-via-check',
  kinds: ['SetNotNull'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    const { table, column } = change;
    const value = ctx.decisions.backfills.get(backfillKey(table.schema, table.name, column.name));
    const steps = notNullSteps(table, column.name, ctx, value !== undefined);
    if (value === undefined) return { kind: 'plan', fragments: steps };
    const fill = fillNullsFragment(table, column.name, value, ctx, 'the filled values are valid values of the nullable column: nothing to undo');
    return { kind: 'plan', fragments: [fill, ...steps] };
  },
});
