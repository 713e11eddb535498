/**
 * Rule `alter-column-type`. A type change that Postgres can do in the catalog (varchar widening, numeric
 * precision up, timestamp precision up, cidr→inet, …) stays one `ALTER … TYPE`, instant. Anything that
 * rewrites the table (integer→bigint, numeric scale change, …) would hold ACCESS EXCLUSIVE for the whole
 * rewrite and every index rebuild, so pgshift expands and contracts instead — never DROP + ADD:
 *
 *  expand   add a shadow column of the new type and a trigger copying `col::newtype` on every write;
 *  backfill fill the shadow column for existing rows in primary-key batches;
 *  indexes  rebuild every index (and unique constraint) on the column CONCURRENTLY on the shadow column;
 *  enforce  NOT NULL on the shadow column via a validated check, if the column is NOT NULL;
 *  contract (`gen diff --contract`) one short transaction: drop the trigger, rename the old column away,
 *           rename the shadow column in, set its default, drop the old column, take over the indexes.
 *
 * Changes that may lose data (narrowing) and columns it cannot move safely (primary key, foreign keys,
 * checks or expression indexes naming the column, no primary key to batch by) are refused with the
 * reason; `--allow-destructive` runs them as the plain rewriting ALTER (narrowing ones through the
 * expand/contract, where a value that does not fit fails the backfill instead of vanishing).
 */
import type { Change } from '../../diff/change';
import type { Column, Index, QualifiedName, Table, UniqueConstraint } from '../../model/schema';
import { pairObjects, sameIndex, sameUnique } from '../../diff/match';
import { columnType, createIndexSql, declaredType, deferrableClause } from '../../sql/column-sql';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { ident, identList, qualified } from '../../sql/quote';
import { backfillFragment } from '../backfill-fragment';
import { findTable } from '../model-lookup';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { referencesAnyColumn } from '../../sql/expression-facts';
import { STAGE, type Fragment } from '../fragment';
import { generatedName } from '../generated-name';
import { nativeNotNullName, notNullFragments, renameNotNullWhereNamed } from '../not-null';
import { NATIVE_NOT_NULL_SINCE } from '../target-major';
import { covering, type ChangeMatcher, type PendingContract } from '../contracts';
import { backfillKey } from '../decisions';
import { isNewTable, tableKey, type PlanContext, type RuleOutcome, defineRule, type ChangeOf } from '../rule';
import type { Statement } from '../../sql/statement';
import { createTriggerStatements, dropTriggerStatements, type RowTrigger } from '../sync-trigger';
import { castTo, narrowingRiskPredicate, typeChangeCost } from '../type-change-facts';
import { createIndexConcurrently, dropIndexConcurrently } from './create-index-concurrently';
import { CONTRACT_STEP, RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { withDeclaredTypes } from '../../sql/declared-type-waivers';
import type { CheckedType, Precheck } from '../precheck';
import { uniqueIndexPrecheck } from './create-index-concurrently';
import { aroundViews, viewsOverColumn } from '../views-over';

const ID = 'alter-column-type';
/** Shadow-column indexes are built after the backfill (faster than maintaining them during it). */
const SHADOW_INDEX_STAGE = STAGE.backfill + 2;

type AlterType = Extract<Change, { kind: 'AlterColumnType' }>;

export const shadowColumnName = (column: string) => generatedName(`${column}__pgshift_new`);
export const retiredColumnName = (column: string) => generatedName(`${column}__pgshift_old`);
export const shadowIndexName = (index: string) => generatedName(`${index}__pgshift_new`);
export const copyTriggerName = (table: QualifiedName, column: string) => generatedName(`pgshift_copy_${table.name}_${column}`);

function inPlacePlan(change: AlterType): RuleOutcome {
  const { table, from, to } = change;
  const alter = `ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(to.name)}`;
  const binaryCompatible = `${declaredType(from)} → ${declaredType(to)} is binary-coercible: a catalog-only change (no rewrite, no index rebuild, no scan), ACCESS EXCLUSIVE for an instant`;
  const up = [waive(withDeclaredTypes(statement(`${alter} TYPE ${columnType(to)}`, 'ACCESS EXCLUSIVE', table), table, [to]), ['changing-column-type'], binaryCompatible)];
  if (from.default !== to.default) {
    up.push(statement(to.default === null ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${to.default}`, 'ACCESS EXCLUSIVE', table));
  }
  return {
    kind: 'plan',
    fragments: [{
      stage: STAGE.schema, phase: 'direct', content: 'schema', transactional: true, mergeable: true,
      slug: changeSlug(change), summary: describeChange(change),
      why: `${declaredType(from)} → ${declaredType(to)} is binary-compatible: Postgres only updates the catalog (no rewrite, no index rebuild), the lock is held for an instant`,
      up,
      // Going back may need a scan or rewrite (a narrower type): the plain statements, honestly labelled.
      down: directStatements({ kind: 'AlterColumnType', table, from: to, to: from }, RESTORES_BEFORE_UP),
    }],
  };
}

/** Why the column cannot be moved to a shadow column, or null. */
function blocker(table: Table, column: string, ctx: PlanContext): string | null {
  const col = table.columns.find((c) => c.name === column);
  if (table.primaryKey?.columns.includes(column)) return 'it is part of the primary key';
  if (table.foreignKeys.some((f) => f.columns.includes(column))) return 'it is part of a foreign key';
  const referenced = ctx.from.tables.some((t) => t.foreignKeys.some((f) => f.referencedTable.schema === table.schema && f.referencedTable.name === table.name && f.referencedColumns.includes(column)));
  if (referenced) return 'a foreign key of another table references it';
  if (col && (col.serial || col.identity !== null)) return 'it is generated by a sequence (serial or identity)';
  if (table.checks.some((c) => referencesAnyColumn(c.expression, [column]))) return 'a CHECK constraint names it';
  const exotic = table.indexes.some((i) => i.keys.some((k) => k.expression !== null && referencesAnyColumn(k.expression, [column])) || (i.where !== null && referencesAnyColumn(i.where, [column])));
  if (exotic) return 'an expression or partial index names it';
  if (!table.primaryKey || table.primaryKey.columns.length === 0) return 'the table has no primary key to backfill by';
  const redefined = redefinedOn(table, column, ctx);
  if (redefined !== null) return `the same plan redefines ${redefined} on it, which would be re-created on the old column and dropped with it when the contract swaps the new-type column in (change the type in one migration and its contract first, then redefine ${redefined})`;
  const gained = gainedOn(table, column, ctx);
  if (gained !== null) return `the same plan adds ${gained} on it, which would be built on the old column and dropped with it when the contract swaps the new-type column in (change the type in one migration and its contract first, then add ${gained})`;
  return null;
}

/**
 * The indexes and uniques on `column` that the entities keep as they are. Only those move to the
 * new-type column: one the same plan drops is dropped on the old column by its own rule, and rebuilding
 * it for the contract would bring it back.
 */
function keptOn(table: Table, column: string, ctx: PlanContext): { indexes: Index[]; uniques: UniqueConstraint[] } {
  const target = findTable(ctx.to, table);
  const indexes = table.indexes.filter((i) => i.keys.some((k) => k.column === column));
  const uniques = table.uniques.filter((u) => u.columns.includes(column));
  if (!target) return { indexes, uniques };
  // Paired as the diff pairs them, so "kept" means exactly "no Drop change for it".
  const keptIndexes = pairObjects(table.indexes, target.indexes, sameIndex).pairs.filter(([a, b]) => indexes.includes(a) && sameIndex(a, b)).map(([a]) => a);
  const keptUniques = pairObjects(table.uniques, target.uniques, sameUnique).pairs.filter(([a, b]) => uniques.includes(a) && sameUnique(a, b)).map(([a]) => a);
  return { indexes: keptIndexes, uniques: keptUniques };
}

/** An index or unique on `column` that the entities keep by name with another definition, or null. */
function redefinedOn(table: Table, column: string, ctx: PlanContext): string | null {
  const target = findTable(ctx.to, table);
  if (!target) return null;
  const changed = [
    ...table.indexes.filter((i) => i.keys.some((k) => k.column === column)).filter((i) => {
      const now = target.indexes.find((t) => t.name === i.name);
      return now !== undefined && !sameIndex(i, now);
    }).map((i) => `index ${i.name}`),
    ...table.uniques.filter((u) => u.columns.includes(column)).filter((u) => {
      const now = target.uniques.find((t) => t.name === u.name);
      return now !== undefined && !sameUnique(u, now);
    }).map((u) => `unique ${u.name}`),
  ];
  return changed.length > 0 ? changed.join(', ') : null;
}

/** An index or constraint on `column` that the entities add in this plan (found by name), or null. */
function gainedOn(table: Table, column: string, ctx: PlanContext): string | null {
  const target = findTable(ctx.to, table);
  if (!target) return null;
  const had = (name: string) =>
    table.indexes.some((i) => i.name === name) || table.uniques.some((u) => u.name === name) ||
    table.checks.some((c) => c.name === name) || table.foreignKeys.some((f) => f.name === name);
  const on = [
    ...target.indexes.filter((i) => i.keys.some((k) => k.column === column || (k.expression !== null && referencesAnyColumn(k.expression, [column])))).map((i) => `index ${i.name}`),
    ...target.uniques.filter((u) => u.columns.includes(column)).map((u) => `unique ${u.name}`),
    ...target.checks.filter((c) => referencesAnyColumn(c.expression, [column])).map((c) => `check ${c.name}`),
    ...target.foreignKeys.filter((f) => f.columns.includes(column)).map((f) => `foreign key ${f.name}`),
  ];
  const fresh = on.filter((label) => !had(label.slice(label.indexOf(' ') + 1)));
  return fresh.length > 0 ? fresh.join(', ') : null;
}

function refusal(change: AlterType, reason: string, would: string): RuleOutcome {
  return {
    kind: 'refused',
    request: {
      rule: ID,
      reason: `${describeChange(change)}: ${reason}`,
      flag: '--allow-destructive',
      wouldDo: would,
    },
  };
}

function shadowIndex(index: Index, column: string, shadow: string): Index {
  return { ...index, name: shadowIndexName(index.name), keys: index.keys.map((k) => (k.column === column ? { ...k, column: shadow } : k)) };
}

function shadowUniqueIndex(unique: UniqueConstraint, column: string, shadow: string): Index {
  return {
    name: shadowIndexName(unique.name), unique: true, method: 'btree', where: null,
    keys: unique.columns.map((c) => ({ column: c === column ? shadow : c, expression: null, descending: false, nullsNotDefault: false })),
  };
}

function checkedType(column: Column): CheckedType {
  return { dataType: column.dataType, sql: columnType(column), viaText: column.enumType !== null, isArray: column.isArray };
}

/**
 * Every value of the old column must convert to the new type: counted before the expand (whose trigger
 * casts every write from then on) and again before the backfill. A value that fails the cast would fail
 * the backfill half way (and the application's writes through the trigger); one the cast changes is
 * refused unless the loss was accepted with --allow-destructive.
 */
export function narrowingPrecheck(change: AlterType, primaryKey: readonly string[], changesAccepted: boolean): Precheck {
  return {
    kind: 'narrowing', table: change.table, column: change.from.name, primaryKey, atPlanTime: true,
    from: checkedType(change.from), to: checkedType(change.to), changesAccepted,
  };
}

function concurrentIndexFragment(table: QualifiedName, index: Index, of: string, ctx: PlanContext): Fragment {
  return {
    stage: SHADOW_INDEX_STAGE, phase: 'expand', content: 'schema', transactional: false, mergeable: false,
    slug: `index_${table.name}_${index.keys.map((k) => k.column ?? 'expr').join('_')}`,
    summary: `build ${index.name} on the new-type column (to replace ${of})`,
    why: 'CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE: reads and writes continue during the build; if it fails it leaves an INVALID index that the down drops',
    up: [createIndexConcurrently(table, index)],
    down: [dropIndexConcurrently(table, index.name)],
    // On the new-type column, which exists only after the expand: `up` counts its duplicates (a cast can
    // make two values equal), plan time cannot.
    ...(index.unique ? { prechecks: [uniqueIndexPrecheck(table, index, ctx, false)] } : {}),
  };
}

function expandPlan(change: AlterType, current: Table, ctx: PlanContext, narrowing: boolean): RuleOutcome {
  const { table, from, to } = change;
  const col = ident(to.name);
  const shadowName = shadowColumnName(to.name);
  const shadow = ident(shadowName);
  const newType = columnType(to);
  const newTypeWords = declaredType(to);
  const shadowColumn: Column = { ...to, name: shadowName, nullable: true, default: null, comment: null };
  const trigger: RowTrigger = {
    table, name: copyTriggerName(table, to.name), onUpdateOf: [to.name],
    body: [`NEW.${shadow} := ${castTo(`NEW.${col}`, from, to, newType)};`],
  };
  const expandFragment: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: false,
    slug: `expand_${table.name}_${to.name}_type`,
    summary: `add ${displayName(table)}.${shadowName} (${newTypeWords}) kept equal to ${to.name} by a trigger`,
    why: 'a nullable column without default is catalog-only and CREATE TRIGGER holds SHARE ROW EXCLUSIVE for an instant; the application keeps using the column as it is',
    up: [...directStatements({ kind: 'AddColumn', table, column: shadowColumn }), ...createTriggerStatements(trigger)],
    down: [...dropTriggerStatements(trigger), ...directStatements({ kind: 'DropColumn', table, column: shadowColumn }, RESTORES_BEFORE_UP)],
  };
  const fillFragment = backfillFragment({
    table, primaryKey: current.primaryKey!.columns, batchSize: ctx.decisions.batchSize, batchTimeMs: ctx.decisions.batchTimeMs,
    setSql: `${shadow} = ${castTo(col, from, to, newType)}`,
    whereSql: `${shadow} IS NULL AND ${col} IS NOT NULL`,
    slug: `backfill_${table.name}_${to.name}_${slugType(newTypeWords)}`,
    summary: `copy ${displayName(table)}.${to.name} into ${shadowName} as ${newTypeWords} for existing rows`,
    undoneBy: `the copied values need no undo: the down of the expand step drops ${shadowName}`,
  });
  const prechecks = narrowing ? [narrowingPrecheck(change, current.primaryKey!.columns, ctx.decisions.allowDestructive)] : [];
  const checkedNow = narrowing && !ctx.decisions.allowDestructive
    ? { why: `${expandFragment.why}; no --allow-destructive needed: the database held no value the new type would change or reject when this was planned, and pgshift up counts again before each step` }
    : {};
  const expand: Fragment = prechecks.length > 0 ? { ...expandFragment, ...checkedNow, prechecks } : expandFragment;
  const fill: Fragment = prechecks.length > 0 ? { ...fillFragment, prechecks } : fillFragment;
  const { indexes, uniques } = keptOn(current, to.name, ctx);
  const builds = [
    ...indexes.map((i) => concurrentIndexFragment(table, shadowIndex(i, to.name, shadowName), i.name, ctx)),
    ...uniques.map((u) => concurrentIndexFragment(table, shadowUniqueIndex(u, to.name, shadowName), u.name, ctx)),
  ];
  const notNull = to.nullable ? [] : notNullFragments({ table, column: shadowName, targetMajor: ctx.targetMajor, primaryKey: current.primaryKey!.columns });
  return { kind: 'plan', fragments: [expand, fill, ...builds, ...notNull], contract: contractFor(change, indexes, uniques, trigger, ctx) };
}

function slugType(type: string): string {
  return type.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '').toLowerCase();
}

function contractFor(change: AlterType, indexes: readonly Index[], uniques: readonly UniqueConstraint[], trigger: RowTrigger, ctx: PlanContext): PendingContract {
  const { table, from, to } = change;
  const alter = `ALTER TABLE ${qualified(table)}`;
  const col = ident(to.name);
  const shadowName = shadowColumnName(to.name);
  const shadow = ident(shadowName);
  const retired = ident(retiredColumnName(to.name));
  const at = (name: string) => qualified({ schema: table.schema, name });
  const AE = 'ACCESS EXCLUSIVE' as const;
  const nativeNotNull = ctx.targetMajor >= NATIVE_NOT_NULL_SINCE && !to.nullable;
  const shadowNn = ident(nativeNotNullName(table, shadowName));
  const columnNn = ident(nativeNotNullName(table, to.name));

  // The swap renames in one transaction: no reader ever sees the column missing or of the old type.
  const swap = `${CONTRACT_STEP}; the renames swap the new-type column in within one transaction, so no reader sees the column missing`;
  const up: Statement[] = [
    ...dropTriggerStatements(trigger),
    waive(statement(`${alter} RENAME COLUMN ${col} TO ${retired}`, AE, table), ['renaming-column'], swap),
    waive(statement(`${alter} RENAME COLUMN ${shadow} TO ${col}`, AE, table), ['renaming-column'], swap),
  ];
  if (to.default !== null) up.push(statement(`${alter} ALTER COLUMN ${col} SET DEFAULT ${to.default}`, AE, table));
  up.push(waive(statement(`${alter} DROP COLUMN ${retired}`, AE, table), ['ban-drop-column'], `${CONTRACT_STEP}; the old-type column was replaced by the new-type one`));
  for (const i of indexes) up.push(statement(`ALTER INDEX ${at(shadowIndexName(i.name))} RENAME TO ${ident(i.name)}`, AE, table));
  for (const u of uniques) {
    up.push(statement(`${alter} ADD CONSTRAINT ${ident(u.name)} UNIQUE USING INDEX ${ident(shadowIndexName(u.name))}${deferrableClause(u.deferrable)}`, AE, table));
  }
  if (nativeNotNull) up.push(statement(`${alter} RENAME CONSTRAINT ${shadowNn} TO ${columnNn}`, AE, table));
  else if (!to.nullable) up.push(renameNotNullWhereNamed(table, nativeNotNullName(table, shadowName), nativeNotNullName(table, to.name)));
  if (to.comment !== null) up.push(...directStatements({ kind: 'SetColumnComment', table, columnName: to.name, from: null, to: to.comment }));

  // The down returns to the state after the expand: old column back (one UPDATE copies the values),
  // the new-type column under its shadow name with its indexes and trigger.
  const down: Statement[] = [];
  for (const u of uniques) down.push(statement(`${alter} DROP CONSTRAINT ${ident(u.name)}`, AE, table));
  for (const i of indexes) down.push(statement(`ALTER INDEX ${at(i.name)} RENAME TO ${ident(shadowIndexName(i.name))}`, AE, table));
  if (nativeNotNull) down.push(statement(`${alter} RENAME CONSTRAINT ${columnNn} TO ${shadowNn}`, AE, table));
  else if (!to.nullable) down.push(renameNotNullWhereNamed(table, nativeNotNullName(table, to.name), nativeNotNullName(table, shadowName)));
  if (to.default !== null) down.push(statement(`${alter} ALTER COLUMN ${col} DROP DEFAULT`, AE, table));
  if (to.comment !== null) down.push(...directStatements({ kind: 'SetColumnComment', table, columnName: to.name, from: to.comment, to: null }));
  // The emergency path back (see downNote): plain, blocking forms in one transaction, on purpose.
  const emergency = `${RESTORES_BEFORE_UP}: the old column comes back in one transaction, with its NOT NULL and indexes built under lock`;
  down.push(waive(statement(`${alter} RENAME COLUMN ${col} TO ${shadow}`, AE, table), ['renaming-column'], emergency));
  down.push(...directStatements({ kind: 'AddColumn', table, column: { ...from, nullable: true, default: null } }));
  down.push(statement(`UPDATE ${qualified(table)} SET ${col} = ${castTo(shadow, to, from, columnType(from))}`, 'ROW EXCLUSIVE', table, 'scan'));
  if (!from.nullable) down.push(waive(statement(`${alter} ALTER COLUMN ${col} SET NOT NULL`, AE, table, 'scan'), ['adding-not-nullable-field'], emergency));
  if (from.default !== null) down.push(statement(`${alter} ALTER COLUMN ${col} SET DEFAULT ${from.default}`, AE, table));
  const blockingIndex = (i: Index) => waive(statement(createIndexSql(table, i, false), 'SHARE', table, 'build'), ['require-concurrent-index-creation'], emergency);
  for (const i of indexes) down.push(blockingIndex(i));
  for (const u of uniques) {
    const unique = statement(`${alter} ADD CONSTRAINT ${ident(u.name)} UNIQUE (${identList(u.columns)})${deferrableClause(u.deferrable)}`, 'SHARE ROW EXCLUSIVE', table, 'build');
    down.push(waive(unique, ['disallowed-unique-constraint', 'constraint-missing-not-valid'], emergency));
    down.push(blockingIndex(shadowUniqueIndex(u, to.name, shadowName)));
  }
  down.push(...createTriggerStatements(trigger));

  const covers: ChangeMatcher[] = [
    covering('AlterColumnType', table, to.name),
    covering('DropColumn', table, shadowName),
  ];
  if (indexes.length + uniques.length > 0) covers.push(covering('DropIndex', table));
  return {
    id: `${ID}:${tableKey(table)}.${to.name}`,
    summary: `switch ${displayName(table)}.${to.name} to ${declaredType(to)}: swap in the shadow column, drop the old one`,
    covers,
    // The views over the column cannot stay through the swap (views-over.ts).
    fragments: [aroundViews({
      stage: STAGE.schema, phase: 'contract', content: 'schema', transactional: true, mergeable: false,
      slug: `swap_${table.name}_${to.name}_type`,
      summary: `swap ${displayName(table)}.${to.name} to ${declaredType(to)} (shadow column in, old column out)`,
      why: 'renames, DROP COLUMN, DROP TRIGGER and attaching ready indexes are catalog-only: one short transaction holds ACCESS EXCLUSIVE for an instant, and no reader ever sees the column missing',
      up,
      down,
      downNote: `re-adds the old ${declaredType(from)} column and copies the values back with one UPDATE of every row, rebuilding its indexes under lock (an emergency path, not an online one)`,
    }, viewsOverColumn(ctx, table, to.name), table)],
  };
}

/** A narrowing whose live data check found no row at risk (decisions.ts): planned without the flag. */
function withoutRisk(change: AlterType, ctx: PlanContext): boolean {
  return ctx.decisions.narrowingsWithoutRisk?.has(backfillKey(change.table.schema, change.table.name, change.from.name)) ?? false;
}

/**
 * An existing table's column. Left to `direct`: a column whose table is not found under this name, and
 * one that cannot move to a new-type copy when --allow-destructive takes the plain ALTER … TYPE.
 */
function claims(change: ChangeOf<'AlterColumnType'>, ctx: PlanContext): boolean {
  if (isNewTable(ctx, change.table)) return false;
  if (typeChangeCost(change.from, change.to) === 'in-place') return true;
  const current = findTable(ctx.from, change.table);
  return current !== undefined && !(ctx.decisions.allowDestructive && blocker(current, change.from.name, ctx) !== null);
}

export const alterColumnType = defineRule({
  id: ID,
  kinds: ['AlterColumnType'],
  claims,
  plan(change, ctx): RuleOutcome {
    const { table, from, to } = change;
    const cost = typeChangeCost(from, to);
    if (cost === 'in-place') return inPlacePlan(change);
    const current = findTable(ctx.from, table)!;
    const plain = 'the plain ALTER … TYPE, which rewrites the table and its indexes under ACCESS EXCLUSIVE (reads and writes wait)';
    const blocked = blocker(current, from.name, ctx);
    if (blocked !== null) {
      return refusal(change, `the table would be rewritten under ACCESS EXCLUSIVE, and pgshift cannot move the column to a new-type copy because ${blocked}. Manual path: add a new column of the new type, dual-write it from the application, backfill, then switch (for keys: the referencing columns first, in a maintenance window).`, `with --allow-destructive: ${plain}`);
    }
    if (cost === 'narrowing' && !ctx.decisions.allowDestructive && !withoutRisk(change, ctx)) {
      const check = `SELECT count(*) FROM ${qualified(table)} WHERE ${narrowingRiskPredicate(ident(from.name), from, to, columnType(to), columnType(from))}`;
      const outcome = refusal(change, `values may not fit the new type (truncated, rounded or failing to cast). Rows at risk: \`${check}\`.`, 'with --allow-destructive: expand/contract through a shadow column; a value that cannot be cast fails the backfill instead of vanishing');
      return outcome.kind === 'refused' ? { kind: 'refused', request: { ...outcome.request, precheck: narrowingPrecheck(change, current.primaryKey!.columns, false) } } : outcome;
    }
    return expandPlan(change, current, ctx, cost === 'narrowing');
  },
});
