/**
 * Rule `set-not-null-via-check`: `SET NOT NULL` on an existing table without the ACCESS EXCLUSIVE scan.
 * PG 12–17: a helper `CHECK (col IS NOT NULL) NOT VALID`, validated in a later file (SHARE UPDATE
 * EXCLUSIVE), lets `SET NOT NULL` skip its scan; the helper is dropped right after. PG 18: the native
 * `ADD CONSTRAINT <t_c_not_null> NOT NULL col NOT VALID` then `VALIDATE`, which ends exactly where
 * `SET NOT NULL` would (same constraint name, attnotnull true). See set-not-null-via-check.md.
 */
import type { Change } from '../../diff/change';
import type { Column, QualifiedName } from '../../model/schema';
import { statement } from '../../sql/ddl';
import { ident, qualified } from '../../sql/quote';
import { batchedUpdateStatement, primaryKeyColumns } from '../backfill';
import { backfillKey } from '../decisions';
import { displayName } from '../describe';
import { STAGE, type Fragment } from '../fragment';
import { currentTable } from '../model-lookup';
import { notNullCheckName, notNullConstraintName } from '../names';
import type { PlanContext, Rule, RuleOutcome } from '../rule';
import { isNewTable } from '../rule';
import { notValidThenValidate } from '../not-valid-then-validate';

/** PG 18 can add a NOT NULL constraint NOT VALID and validate it later. */
export function hasNotNullNotValid(serverVersion: number): boolean {
  return serverVersion >= 180000;
}

function slugBase(table: QualifiedName, column: string): string {
  return `${table.name}_${column}_not_null`;
}

/**
 * The fragments that make `column` NOT NULL without a locked scan: ADD … NOT VALID (stage afterBackfill,
 * so the rows a backfill fills first are never checked half-done), VALIDATE (own file), and on PG 12–17
 * SET NOT NULL + drop of the helper (stage enforce).
 */
export function notNullFragments(table: QualifiedName, column: string, ctx: PlanContext): Fragment[] {
  const t = qualified(table);
  const col = ident(column);
  const what = `make ${displayName(table)}.${column} NOT NULL`;
  const failsWhen = `a row of ${displayName(table)} still holds NULL in ${column}`;
  const dropNotNull = statement(`ALTER TABLE ${t} ALTER COLUMN ${col} DROP NOT NULL`, 'ACCESS EXCLUSIVE', table);
  if (hasNotNullNotValid(ctx.serverVersion)) {
    return notValidThenValidate({
      table,
      name: notNullConstraintName(table.name, column),
      body: `NOT NULL ${col}`,
      addLock: 'ACCESS EXCLUSIVE',
      // A NOT NULL constraint goes away with DROP NOT NULL, valid or not.
      drop: [dropNotNull],
      slug: `add_${slugBase(table, column)}`,
      what,
      addWhy: 'PostgreSQL 18 records it as the column\'s NOT NULL constraint; VALIDATE then makes it a plain NOT NULL',
      failsWhen,
      addStage: STAGE.afterBackfill,
    });
  }
  const check = notNullCheckName(table.name, column);
  const [add, validate] = notValidThenValidate({
    table,
    name: check,
    body: `CHECK (${col} IS NOT NULL)`,
    addLock: 'ACCESS EXCLUSIVE',
    slug: `add_${slugBase(table, column)}_check`,
    what: `${what}: helper check ${check}`,
    failsWhen,
    addStage: STAGE.afterBackfill,
  });
  const dropCheck = statement(`ALTER TABLE ${t} DROP CONSTRAINT ${ident(check)}`, 'ACCESS EXCLUSIVE', table);
  const enforce: Fragment = {
    stage: STAGE.enforce,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: `set_${slugBase(table, column)}`,
    summary: `${what} (the validated ${check} proves it) and drop the helper check`,
    why: 'PostgreSQL 12+ skips the SET NOT NULL scan when a validated CHECK (col IS NOT NULL) exists: both statements are catalog only, the lock is held for an instant, bounded by lock_timeout',
    up: [statement(`ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL`, 'ACCESS EXCLUSIVE', table), dropCheck],
    down: [statement(`ALTER TABLE ${t} ADD CONSTRAINT ${ident(check)} CHECK (${col} IS NOT NULL)`, 'ACCESS EXCLUSIVE', table, 'scan'), dropNotNull],
  };
  return [add, validate, enforce];
}

/** `--backfill t.c=<expr>` for a column becoming NOT NULL: fill its NULLs in batches first. */
function backfillFragment(table: QualifiedName, column: Column, expression: string, ctx: PlanContext): Fragment {
  const key = primaryKeyColumns(currentTable(ctx, table));
  const col = ident(column.name);
  return {
    stage: STAGE.backfill,
    phase: 'backfill',
    content: 'data',
    transactional: false,
    mergeable: false,
    slug: `backfill_${table.name}_${column.name}`,
    summary: `fill NULLs of ${displayName(table)}.${column.name} with ${expression}, in batches of ${ctx.decisions.batchSize}`,
    why: 'each batch is its own short transaction (row locks only, a few rows at a time); only rows still NULL are touched, so re-running it is safe',
    up: [batchedUpdateStatement({ table, key, set: `${col} = ${expression}`, pending: `${col} IS NULL`, batchSize: ctx.decisions.batchSize })],
    down: [statement('SELECT 1', null, null)],
    downNote: 'nothing to undo: the filled values are valid values of a nullable column.',
  };
}

export const setNotNullViaCheck: Rule = {
  id: 'set-not-null-via-check',
  appliesTo: ['SetNotNull'],
  plan(change: Change, ctx: PlanContext): RuleOutcome | undefined {
    if (change.kind !== 'SetNotNull' || isNewTable(ctx, change.table)) return undefined;
    const fill = ctx.decisions.backfills.get(backfillKey(change.table.schema, change.table.name, change.column.name));
    const fragments = notNullFragments(change.table, change.column.name, ctx);
    return { kind: 'plan', fragments: fill === undefined ? fragments : [backfillFragment(change.table, change.column, fill, ctx), ...fragments] };
  },
};
