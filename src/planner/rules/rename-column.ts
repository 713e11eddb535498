/**
 * Rule `rename-column`: never `RENAME COLUMN` in place — every running client that names the old column
 * breaks the instant it commits. With `--rename table.old=new` the diff yields one RenameColumn
 * (old column, new column as the entity wants it, and the indexes and constraints on the old name that
 * the rename retires); pgshift expands instead:
 *
 *  expand   add `new` (nullable, no default); move `old`'s default into a BEFORE INSERT OR UPDATE trigger
 *           that keeps both columns equal in both directions (a DEFAULT would make an INSERT that names
 *           only one column look as if it had set both);
 *  backfill copy `old` into `new` for existing rows, in primary-key batches (and fill the NULLs with the
 *           `--backfill` value of `new`, if given, when `new` becomes NOT NULL);
 *  enforce  NOT NULL on `new` via a validated check, if the entity wants it;
 *  contract (later, `gen diff --contract`) drop the trigger and `old` — which drops the retired objects
 *           with it — and give `new` its default. Its `covers` name those drops, so `check` reports them
 *           as pending.
 * Indexes and constraints the entity puts on `new` arrive as their own changes for the other rules.
 *
 * On an AddColumn (no decision), it only asks: an added column of the type of a column that disappears
 * is probably a rename.
 */
import type { Change, RetiredObject } from '../../diff/change';
import { sameColumnType } from '../../diff/table-diff';
import type { Column, QualifiedName, Table } from '../../model/schema';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { ident, qualified } from '../../sql/quote';
import { backfillFragment } from '../backfill-fragment';
import { currentTable } from '../model-lookup';
import { columnRenameSuggestion, renameFlag } from '../rename-suggestion';
import { backfillKey } from '../decisions';
import { fillNullsFragment } from './set-not-null-via-check';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { generatedName } from '../generated-name';
import { notNullFragments } from '../not-null';
import { covering, type ChangeMatcher, type PendingContract } from '../contracts';
import { tableKey, type PlanContext, type RuleOutcome, defineRule } from '../rule';
import type { Statement } from '../../sql/statement';
import { createTriggerStatements, dropTriggerStatements, type RowTrigger } from '../sync-trigger';
import { CONTRACT_STEP, RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { noteOldWrite, startWatching, stopWatching, type WatchedShape } from '../contract-usage';

const ID = 'rename-column';


export function syncTriggerName(table: QualifiedName, from: string, to: string): string {
  return generatedName(`pgshift_sync_${table.name}_${from}_${to}`);
}


/** A retired object in the form that creates it (the contract's down restores it). */
function creation(table: QualifiedName, object: RetiredObject): Change {
  switch (object.kind) {
    case 'index': return { kind: 'CreateIndex', table, index: object.index };
    case 'unique': return { kind: 'AddUnique', table, unique: object.unique };
    case 'check': return { kind: 'AddCheck', table, check: object.check };
    case 'foreignKey': return { kind: 'AddForeignKey', table, foreignKey: object.foreignKey };
  }
}

/** The retired object in the form that drops it. */
function removal(table: QualifiedName, object: RetiredObject): Change {
  switch (object.kind) {
    case 'index': return { kind: 'DropIndex', table, index: object.index };
    case 'unique': return { kind: 'DropUnique', table, unique: object.unique };
    case 'check': return { kind: 'DropCheck', table, check: object.check };
    case 'foreignKey': return { kind: 'DropForeignKey', table, foreignKey: object.foreignKey };
  }
}

function objectName(object: RetiredObject): string {
  switch (object.kind) {
    case 'index': return object.index.name;
    case 'unique': return object.unique.name;
    case 'check': return object.check.name;
    case 'foreignKey': return object.foreignKey.name;
  }
}

const KIND_ORDER: readonly RetiredObject['kind'][] = ['index', 'unique', 'check', 'foreignKey'];

/** Indexes, uniques, checks, foreign keys, each in the table's order: the order the contract restores them. */
function inTableOrder(current: Table, retires: readonly RetiredObject[]): RetiredObject[] {
  const position = (o: RetiredObject): number => {
    switch (o.kind) {
      case 'index': return current.indexes.findIndex((i) => i.name === o.index.name);
      case 'unique': return current.uniques.findIndex((u) => u.name === o.unique.name);
      case 'check': return current.checks.findIndex((c) => c.name === o.check.name);
      case 'foreignKey': return current.foreignKeys.findIndex((f) => f.name === o.foreignKey.name);
    }
  };
  return [...retires].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || position(a) - position(b));
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

function refusal(reason: string, flag: string): RuleOutcome {
  return { kind: 'refused', request: { rule: ID, reason, flag } };
}

function expandPlan(change: RenameColumnChange, current: Table, ctx: PlanContext): RuleOutcome {
  const { table, from: old, to: target } = change;
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
    table, primaryKey, batchSize: ctx.decisions.batchSize, batchTimeMs: ctx.decisions.batchTimeMs,
    setSql: `${n} = ${o}`, whereSql: `${n} IS DISTINCT FROM ${o}`,
    slug: `backfill_${table.name}_${target.name}`,
    summary: `copy ${displayName(table)}.${old.name} into ${target.name} for existing rows`,
    undoneBy: `the copied values need no undo: the down of the expand step drops ${target.name}`,
  });
  const notNull = target.nullable ? [] : notNullFragments({ table, column: target.name, targetMajor: ctx.targetMajor, primaryKey });
  return { kind: 'plan', fragments: [expand, copy, ...fillNulls(change, ctx), ...notNull], contract: contractFor(change, current, trigger) };
}

/**
 * A nullable column renamed into a NOT NULL one: the copy brings its NULLs along, and the validated check
 * would fail on them. The new name's `--backfill` value fills them after the copy (the trigger writes it
 * into the old column too, so both stay equal). Optional, as for set-not-null-via-check.
 */
function fillNulls(change: RenameColumnChange, ctx: PlanContext): Fragment[] {
  const { table, from: old, to: target } = change;
  if (!old.nullable || target.nullable) return [];
  const value = ctx.decisions.backfills.get(backfillKey(table.schema, table.name, target.name));
  if (value === undefined) return [];
  const fill = fillNullsFragment(table, target.name, value, ctx, `the filled values need no undo: the down of the expand step drops ${target.name}`);
  return [{ ...fill, slug: `fill_${table.name}_${target.name}_nulls` }];
}

type RenameColumnChange = Extract<Change, { kind: 'RenameColumn' }>;

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

function sharedObjectsFragment(table: QualifiedName, objects: readonly RetiredObject[]): Fragment {
  return {
    stage: SHARED_OBJECTS_STAGE, phase: 'contract', content: 'schema', transactional: true, mergeable: false,
    slug: `drop_${table.name}_renamed_columns_objects`,
    summary: `drop ${objects.map((o) => objectName(o)).join(', ')} on columns of ${displayName(table)} that several renames retire`,
    why: 'the column drops of the rename contracts would drop them anyway; dropping them first, in their own step, lets the down re-create them once every old column is back. Catalog-only (ACCESS EXCLUSIVE for an instant)',
    up: objects.flatMap((o) => directStatements(removal(table, o), CONTRACT_STEP)),
    down: [...objects].reverse().flatMap((o) => directStatements(creation(table, o), RESTORES_BEFORE_UP)),
  };
}

function contractFor(change: RenameColumnChange, current: Table, trigger: RowTrigger): PendingContract {
  const { table, from: old, to: target } = change;
  const alter = `ALTER TABLE ${qualified(table)}`;
  const onOld = inTableOrder(current, change.retires);
  const shared = onOld.filter((o) => o.renamedColumns.length > 1);
  const involved = onOld.filter((o) => !shared.includes(o)).map((o) => creation(table, o));
  // Exactly one contract carries a shared object: the rename of its first renamed column.
  const owned = shared.filter((o) => o.renamedColumns[0] === old.name);
  const covers: ChangeMatcher[] = [
    covering('DropColumn', table, old.name),
    ...onOld.map((o) => covering(removal(table, o).kind, table)),
  ];
  if (target.default !== null) covers.push(covering('SetDefault', table, target.name));
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

export const renameColumn = defineRule({
  id: ID,
  kinds: ['RenameColumn', 'AddColumn'],
  // An AddColumn is this rule's only to ask whether it is a rename (rename-suggestion.ts).
  claims: (change, ctx) => change.kind === 'RenameColumn' || columnRenameSuggestion(change, ctx) !== null,
  plan(change, ctx): RuleOutcome {
    if (change.kind === 'AddColumn') return { kind: 'needs', request: columnRenameSuggestion(change, ctx)! };
    const current = currentTable(ctx, change.table);
    if (!current) throw new Error(`rename-column: no current table for ${displayName(change.table)}`);
    return expandPlan(change, current, ctx);
  },
});
