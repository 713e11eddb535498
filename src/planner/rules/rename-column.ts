/**
 * Rule `rename-column`: never `RENAME COLUMN` in place — every running client that names the old column
 * breaks the instant it commits. The diff sees a rename as DropColumn(old) + AddColumn(new); with
 * `--rename table.old=new` (ctx.decisions.columnRenames) pgshift expands instead:
 *
 *  expand   add `new` (nullable, no default); move `old`'s default into a BEFORE INSERT OR UPDATE trigger
 *           that keeps both columns equal in both directions (a DEFAULT would make an INSERT that names
 *           only one column look as if it had set both);
 *  backfill copy `old` into `new` for existing rows, in primary-key batches;
 *  enforce  NOT NULL on `new` via a validated check, if the entity wants it;
 *  contract (later, `gen diff --contract`) drop the trigger and `old`, give `new` its default.
 *
 * The DropColumn(old) and every Drop* of an index or constraint on `old` are claimed here with an empty
 * plan: the contract does them, and they are listed in its `covers` so `check` reports them as pending.
 * Indexes and constraints the entity puts on `new` arrive as their own changes for the other rules.
 */
import type { ColumnRename } from '../../diff/diff';
import type { Change, ChangeKind } from '../../diff/change';
import { sameColumnType } from '../../diff/table-diff';
import type { Column, QualifiedName, Table } from '../../model/schema';
import { directStatements, statement } from '../../sql/ddl';
import { ident, qualified } from '../../sql/quote';
import { backfillFragment } from '../backfill-fragment';
import { findTable } from '../model-lookup';
import { displayName } from '../describe';
import { referencesAnyColumn } from '../expression-facts';
import { STAGE, type Fragment } from '../fragment';
import { generatedName } from '../generated-name';
import { notNullFragments } from '../not-null';
import { isNewTable, tableKey, type ChangeMatcher, type PendingContract, type PlanContext, type Rule, type RuleOutcome } from '../rule';
import type { Statement } from '../step';
import { createTriggerStatements, dropTriggerStatements, type RowTrigger } from '../sync-trigger';
import { CONTRACT_STEP, RESTORES_BEFORE_UP, waive } from '../lint-waiver';
import { noteOldWrite, startWatching, stopWatching, type WatchedShape } from '../contract-usage';

const ID = 'rename-column';
const CLAIMED_DROPS = ['DropColumn', 'DropIndex', 'DropUnique', 'DropForeignKey', 'DropCheck'] as const;

export function renameFlag(table: QualifiedName, from: string, to: string): string {
  return `--rename ${displayName(table)}.${from}=${to}`;
}

export function syncTriggerName(table: QualifiedName, from: string, to: string): string {
  return generatedName(`pgshift_sync_${table.name}_${from}_${to}`);
}

function findRename(ctx: PlanContext, table: QualifiedName, match: (r: ColumnRename) => boolean): ColumnRename | undefined {
  return ctx.decisions.columnRenames.find((r) => r.table.schema === table.schema && r.table.name === table.name && match(r));
}

/** The objects of the current table that involve the old column (the contract's DROP COLUMN removes them). */
function objectsOn(table: Table, column: string): Change[] {
  const name = { schema: table.schema, name: table.name };
  const out: Change[] = [];
  for (const index of table.indexes) {
    const uses = index.keys.some((k) => k.column === column || (k.expression !== null && referencesAnyColumn(k.expression, [column])))
      || (index.where !== null && referencesAnyColumn(index.where, [column]));
    if (uses) out.push({ kind: 'CreateIndex', table: name, index });
  }
  for (const unique of table.uniques) if (unique.columns.includes(column)) out.push({ kind: 'AddUnique', table: name, unique });
  for (const check of table.checks) if (referencesAnyColumn(check.expression, [column])) out.push({ kind: 'AddCheck', table: name, check });
  for (const foreignKey of table.foreignKeys) if (foreignKey.columns.includes(column)) out.push({ kind: 'AddForeignKey', table: name, foreignKey });
  return out;
}

function objectName(c: Change): string | null {
  return c.kind === 'CreateIndex' || c.kind === 'DropIndex' ? c.index.name
    : c.kind === 'AddUnique' || c.kind === 'DropUnique' ? c.unique.name
    : c.kind === 'AddCheck' || c.kind === 'DropCheck' ? c.check.name
    : c.kind === 'AddForeignKey' || c.kind === 'DropForeignKey' ? c.foreignKey.name : null;
}

/** The columns of the current table that `object` involves (by the same test as objectsOn). */
function columnsOf(current: Table, object: Change): string[] {
  return current.columns.map((c) => c.name).filter((c) => objectsOn(current, c).some((o) => o.kind === object.kind && objectName(o) === objectName(object)));
}

/** What this plan does to a column of the current table: kept, renamed (expand/contract) or dropped. */
function fateOf(ctx: PlanContext, table: QualifiedName, column: string): 'kept' | 'renamed' | 'dropped' {
  const wanted = findTable(ctx.to, table);
  if (!wanted || wanted.columns.some((c) => c.name === column)) return 'kept';
  const rename = findRename(ctx, table, (r) => r.from === column);
  return rename && wanted.columns.some((c) => c.name === rename.to) ? 'renamed' : 'dropped';
}

/**
 * An object on the old column that also involves a column this plan drops outright is left to the
 * rules of its own Drop change: the plan drops it before that column goes, and its down re-creates it
 * after the column is back — later than any contract down could (the contract runs after the plan).
 */
function droppedWithAnotherColumn(ctx: PlanContext, table: QualifiedName, current: Table, object: Change): boolean {
  return columnsOf(current, object).some((c) => fateOf(ctx, table, c) === 'dropped');
}

function isDropOnOldColumn(change: Change, rename: ColumnRename, current: Table | undefined, ctx: PlanContext): boolean {
  if (change.kind === 'DropColumn') return change.column.name === rename.from;
  if (!current) return false;
  const involved = objectsOn(current, rename.from).filter((o) => !droppedWithAnotherColumn(ctx, rename.table, current, o));
  return involved.some((o) => objectName(o) === objectName(change));
}

function contractId(table: QualifiedName, old: string): string {
  return `${ID}:${tableKey(table)}.${old}`;
}

/** What the contract retires, watched from the expand on (contract-usage.ts). */
function watchedShape(table: QualifiedName, old: string): WatchedShape {
  return { contract: contractId(table, old), schema: table.schema, table: table.name, column: old };
}

function syncTrigger(table: QualifiedName, old: Column, renamed: Column): RowTrigger {
  const o = `NEW.${ident(old.name)}`;
  const n = `NEW.${ident(renamed.name)}`;
  const fillDefault = old.default === null ? [] : [`  IF ${o} IS NULL AND ${n} IS NULL THEN ${o} := ${old.default}; END IF;`];
  const note = noteOldWrite(watchedShape(table, old.name));
  return {
    table, name: syncTriggerName(table, old.name, renamed.name), onUpdateOf: [old.name, renamed.name],
    body: [
      "IF TG_OP = 'INSERT' THEN",
      '  -- A write through the old shape: it set the old column and not the new one (before any default).',
      `  IF ${n} IS NULL AND ${o} IS NOT NULL THEN ${note} END IF;`,
      '  -- The column the writer left out takes the value of the one it set (the new name wins if both).',
      ...fillDefault,
      `  IF ${n} IS NULL THEN ${n} := ${o}; ELSE ${o} := ${n}; END IF;`,
      `ELSIF ${n} IS DISTINCT FROM OLD.${ident(renamed.name)} THEN`,
      '  -- On UPDATE the side that changed wins.',
      `  ${o} := ${n};`,
      `ELSIF ${o} IS DISTINCT FROM OLD.${ident(old.name)} THEN`,
      `  ${note}`,
      `  ${n} := ${o};`,
      'END IF;',
    ],
  };
}

function refusal(reason: string, flag: string, renameSpec?: string): RuleOutcome {
  return { kind: 'needs', request: { rule: ID, reason, flag, ...(renameSpec === undefined ? {} : { renameSpec }) } };
}

function expandPlan(rename: ColumnRename, current: Table, old: Column, target: Column, ctx: PlanContext): RuleOutcome {
  const table = rename.table;
  const where = `${displayName(table)}.${old.name} → ${target.name}`;
  const primaryKey = current.primaryKey?.columns ?? [];
  if (primaryKey.includes(old.name)) {
    return refusal(`${where}: the column is part of the primary key; the expand/contract rename would need a second key. Rename it by hand in a maintenance window (ALTER TABLE … RENAME COLUMN, with the application stopped).`, '--allow-destructive  (drops the old column and adds the new one empty)');
  }
  if (primaryKey.length === 0) {
    return refusal(`${where}: copying the values in batches walks the primary key, and ${displayName(table)} has none; a plain RENAME COLUMN would break every running client at once.`, '--allow-destructive  (drops the old column and adds the new one empty)');
  }
  if (!sameColumnType(old, target) || old.serial || old.identity !== null || target.identity !== null || target.serial) {
    return refusal(`${where}: the entity also changes the column's type or identity; pgshift renames only columns that keep their type. Rename first (keep the type), deploy, then change the type in a second migration.`, renameFlagHint(table, old.name, target.name));
  }
  const alter = `ALTER TABLE ${qualified(table)}`;
  const added: Column = { ...target, nullable: true, default: null };
  const trigger = syncTrigger(table, old, target);
  const dropOldDefault = old.default === null ? [] : [statement(`${alter} ALTER COLUMN ${ident(old.name)} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table)];
  const restoreOldDefault = old.default === null ? [] : [statement(`${alter} ALTER COLUMN ${ident(old.name)} SET DEFAULT ${old.default}`, 'ACCESS EXCLUSIVE', table)];
  const expand: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: false,
    slug: `rename_${table.name}_${old.name}_to_${target.name}`,
    summary: `add ${displayName(table)}.${target.name} beside ${old.name}, kept equal in both directions by a trigger`,
    why: 'adding a nullable column and moving a default are catalog-only; CREATE TRIGGER holds SHARE ROW EXCLUSIVE for an instant. Old and new application versions both keep reading and writing their own column name',
    up: [...directStatements({ kind: 'AddColumn', table, column: added }), ...dropOldDefault, ...startWatching(watchedShape(table, old.name)), ...createTriggerStatements(trigger)],
    down: [...dropTriggerStatements(trigger), stopWatching(watchedShape(table, old.name)), ...restoreOldDefault, ...directStatements({ kind: 'DropColumn', table, column: added }, RESTORES_BEFORE_UP)],
  };
  const n = ident(target.name);
  const o = ident(old.name);
  const copy = backfillFragment({
    table, primaryKey, batchSize: ctx.decisions.batchSize,
    setSql: `${n} = ${o}`, whereSql: `${n} IS DISTINCT FROM ${o}`,
    slug: `backfill_${table.name}_${target.name}`,
    summary: `copy ${displayName(table)}.${old.name} into ${target.name} for existing rows`,
    undoneBy: `the copied values need no undo: the down of the expand step drops ${target.name}`,
  });
  const notNull = target.nullable ? [] : notNullFragments({ table, column: target.name, targetMajor: ctx.targetMajor });
  return { kind: 'plan', fragments: [expand, copy, ...notNull], contract: contractFor(rename, current, old, target, trigger, ctx) };
}

function renameFlagHint(table: QualifiedName, from: string, to: string): string {
  return `${renameFlag(table, from, to)} with the old type in the entity first, or --allow-destructive to drop and re-add`;
}

/**
 * Objects on the old column that another renamed column is in too (a composite index or unique over
 * two renamed columns): each contract drops its own old column, so no single contract down can
 * re-create them while the other old column is still gone. They get one fragment of their own, owned by
 * the rename of their first such column and staged before every column drop: its down runs after all of
 * the contracts' downs have brought the old columns back.
 */
const SHARED_OBJECTS_STAGE = STAGE.schema - 1;

function sharedWithAnotherRename(ctx: PlanContext, table: QualifiedName, current: Table, object: Change, column: string): boolean {
  return columnsOf(current, object).some((c) => c !== column && fateOf(ctx, table, c) === 'renamed');
}

function dropChange(object: Change): Change {
  switch (object.kind) {
    case 'CreateIndex': return { kind: 'DropIndex', table: object.table, index: object.index };
    case 'AddUnique': return { kind: 'DropUnique', table: object.table, unique: object.unique };
    case 'AddCheck': return { kind: 'DropCheck', table: object.table, check: object.check };
    case 'AddForeignKey': return { kind: 'DropForeignKey', table: object.table, foreignKey: object.foreignKey };
    default: throw new Error(`rename-column: unexpected involved object ${object.kind}`);
  }
}

function sharedObjectsFragment(table: QualifiedName, objects: readonly Change[]): Fragment {
  return {
    stage: SHARED_OBJECTS_STAGE, phase: 'contract', content: 'schema', transactional: true, mergeable: false,
    slug: `drop_${table.name}_renamed_columns_objects`,
    summary: `drop ${objects.map((o) => objectName(o)).join(', ')} on columns of ${displayName(table)} that several renames retire`,
    why: 'the column drops of the rename contracts would drop them anyway; dropping them first, in their own step, lets the down re-create them once every old column is back. Catalog-only (ACCESS EXCLUSIVE for an instant)',
    up: objects.flatMap((o) => directStatements(dropChange(o), CONTRACT_STEP)),
    down: [...objects].reverse().flatMap((o) => directStatements(o, RESTORES_BEFORE_UP)),
  };
}

function contractFor(rename: ColumnRename, current: Table, old: Column, target: Column, trigger: RowTrigger, ctx: PlanContext): PendingContract {
  const table = rename.table;
  const alter = `ALTER TABLE ${qualified(table)}`;
  const onOld = objectsOn(current, old.name).filter((o) => !droppedWithAnotherColumn(ctx, table, current, o));
  const shared = onOld.filter((o) => sharedWithAnotherRename(ctx, table, current, o, old.name));
  const involved = onOld.filter((o) => !shared.includes(o));
  // Exactly one contract carries a shared object: the rename of its first renamed column.
  const owned = shared.filter((o) => columnsOf(current, o).find((c) => fateOf(ctx, table, c) === 'renamed') === old.name);
  const covers: ChangeMatcher[] = [
    { kind: 'DropColumn', table: tableKey(table), column: old.name },
    ...onOld.map((c) => ({ kind: (`Drop${c.kind.replace(/^(Create|Add)/, '')}`) as ChangeKind, table: tableKey(table) })),
  ];
  if (target.default !== null) covers.push({ kind: 'SetDefault', table: tableKey(table), column: target.name });
  const up: Statement[] = [
    ...dropTriggerStatements(trigger),
    stopWatching(watchedShape(table, old.name)),
    waive(statement(`${alter} DROP COLUMN ${ident(old.name)}`, 'ACCESS EXCLUSIVE', table), ['ban-drop-column'], `${CONTRACT_STEP}; its values live on in ${target.name}`),
  ];
  const down: Statement[] = [];
  if (target.default !== null) {
    up.push(statement(`${alter} ALTER COLUMN ${ident(target.name)} SET DEFAULT ${target.default}`, 'ACCESS EXCLUSIVE', table));
    down.push(statement(`${alter} ALTER COLUMN ${ident(target.name)} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table));
  }
  const restored: Column = { ...old, nullable: true, default: null };
  down.push(...directStatements({ kind: 'AddColumn', table, column: restored }));
  down.push(statement(`UPDATE ${qualified(table)} SET ${ident(old.name)} = ${ident(target.name)}`, 'ROW EXCLUSIVE', table, 'scan'));
  // The emergency path back (see downNote): plain, blocking forms in one transaction, on purpose.
  const emergency = `${RESTORES_BEFORE_UP}: the old column comes back in one transaction, with its NOT NULL, indexes and constraints checked under lock`;
  if (!old.nullable) down.push(waive(statement(`${alter} ALTER COLUMN ${ident(old.name)} SET NOT NULL`, 'ACCESS EXCLUSIVE', table, 'scan'), ['adding-not-nullable-field'], emergency));
  for (const change of involved) down.push(...directStatements(change, emergency));
  down.push(...createTriggerStatements(trigger));
  return {
    id: contractId(table, old.name),
    summary: `finish renaming ${displayName(table)}.${old.name} to ${target.name}: drop the sync trigger and ${old.name}`,
    covers,
    fragments: [...(owned.length > 0 ? [sharedObjectsFragment(table, owned)] : []), {
      stage: STAGE.schema, phase: 'contract', content: 'schema', transactional: true, mergeable: false,
      slug: `drop_${table.name}_${old.name}_after_rename`,
      summary: `drop the sync trigger and ${displayName(table)}.${old.name} (renamed to ${target.name})`,
      why: `no deployed code uses ${old.name} any more; DROP COLUMN and DROP TRIGGER are catalog-only (ACCESS EXCLUSIVE for an instant)`,
      up,
      down,
      downNote: `re-adds ${old.name} and copies ${target.name} into it with one UPDATE of every row (an emergency path, not an online one)`,
    }],
  };
}

/** Without a decision: an added column with the type of a column that disappears is probably a rename. */
function suggestRename(change: Extract<Change, { kind: 'AddColumn' }>, ctx: PlanContext): RuleOutcome | undefined {
  if (ctx.decisions.allowDestructive) return undefined;
  const current = findTable(ctx.from, change.table);
  const wanted = findTable(ctx.to, change.table);
  if (!current || !wanted) return undefined;
  const gone = current.columns.filter((c) => !wanted.columns.some((w) => w.name === c.name) && !findRename(ctx, change.table, (r) => r.from === c.name));
  const candidate = gone.find((c) => sameColumnType(c, change.column));
  if (!candidate) return undefined;
  return refusal(
    `${displayName(change.table)} loses column ${candidate.name} and gains ${change.column.name} of the same type: if this is a rename, dropping ${candidate.name} would lose its data and break every running client that reads it.`,
    `${renameFlag(change.table, candidate.name, change.column.name)}  (or --allow-destructive to really drop ${candidate.name})`,
    `${displayName(change.table)}.${candidate.name}=${change.column.name}`,
  );
}

export const renameColumn: Rule = {
  id: ID,
  appliesTo: ['AddColumn', ...CLAIMED_DROPS] satisfies ChangeKind[],
  plan(change: Change, ctx: PlanContext): RuleOutcome | undefined {
    if (!('table' in change) || !('schema' in change.table) || isNewTable(ctx, change.table)) return undefined;
    const table = change.table;
    const current = findTable(ctx.from, table);
    if (change.kind === 'AddColumn') {
      const rename = findRename(ctx, table, (r) => r.to === change.column.name);
      if (!rename) return suggestRename(change, ctx);
      const old = current?.columns.find((c) => c.name === rename.from);
      if (!current || !old) return undefined;
      return expandPlan(rename, current, old, change.column, ctx);
    }
    // Drops on the old column: the contract does them (see covers); nothing to emit now.
    const claimed = ctx.decisions.columnRenames.some((r) => r.table.schema === table.schema && r.table.name === table.name && isDropOnOldColumn(change, r, current, ctx));
    return claimed ? { kind: 'plan', fragments: [] } : undefined;
  },
};
