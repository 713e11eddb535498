/**
 * Rule `add-required-column`: a NOT NULL column without a default on an existing table. The plain
 * `ADD COLUMN … NOT NULL` fails on any table with rows, and once added, the old application's INSERTs
 * (which do not name the column) fail. pgshift needs the value for existing rows (`--backfill`), then:
 *
 *  - constant value: `ADD COLUMN … NOT NULL DEFAULT <value>` — PG 11+ records the constant as the value
 *    of every existing row without rewriting or scanning; nothing to backfill.
 *  - other expressions: add the column nullable with the value as a temporary default (or, when the
 *    value names other columns, a BEFORE INSERT trigger computing it, since a DEFAULT cannot), fill the
 *    existing rows in batches, then NOT NULL via a validated check.
 *
 * The temporary default (or trigger) stays until the contract, because the old application keeps
 * inserting rows without the column until it is replaced.
 */
import type { Change } from '../../diff/change';
import type { Column, QualifiedName } from '../../model/schema';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { ident, qualified } from '../../sql/quote';
import { backfillFragment } from '../backfill-fragment';
import { findTable } from '../model-lookup';
import { backfillKey } from '../decisions';
import { displayName } from '../../model/schema';
import { isConstantExpression, referencesAnyColumn } from '../../sql/expression-facts';
import { STAGE, type Fragment } from '../fragment';
import { generatedName } from '../generated-name';
import { notNullFragments } from '../not-null';
import { columnRenameSuggestion } from '../rename-suggestion';
import { covering, type PendingContract } from '../contracts';
import { defineRule, isNewTable, tableKey, type PlanContext, type RuleOutcome } from '../rule';
import { createTriggerStatements, dropTriggerStatements, type RowTrigger } from '../sync-trigger';
import { RESTORES_BEFORE_UP } from '../lint-waiver';

const ID = 'add-required-column';
const WOULD_DO =
  'add the column nullable with that value as a temporary default (old INSERTs keep working) → fill existing rows in primary-key batches (data file) → NOT NULL via a NOT VALID check, validated without blocking writes → later, `gen diff --contract` drops the temporary default';

export function backfillFlag(table: QualifiedName, column: string): string {
  return `--backfill ${displayName(table)}.${column}=<SQL expression>`;
}

/** True for the columns this rule is about: NOT NULL, no default, not generated (by a sequence or an expression). */
export function isRequiredWithoutDefault(column: Column): boolean {
  return !column.nullable && column.default === null && !column.serial && column.identity === null && !column.generated;
}

export function fillTriggerName(table: QualifiedName, column: string): string {
  return generatedName(`pgshift_fill_${table.name}_${column}`);
}

const CONSTANT_DEFAULT = 'a constant default is stored once as the value of every existing row (PG 11+): no rewrite, no scan';

function constantPlan(table: QualifiedName, column: Column, value: string): RuleOutcome {
  const withDefault = { ...column, default: value };
  const add: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: true,
    slug: `add_${table.name}_${column.name}`,
    summary: `add ${displayName(table)}.${column.name} NOT NULL with the temporary default ${value}`,
    why: 'a constant default is stored once as the value of every existing row (PG 11+): no rewrite, no scan, the lock is held for an instant; the default keeps the old INSERTs working until the contract',
    up: directStatements({ kind: 'AddColumn', table, column: withDefault }, CONSTANT_DEFAULT),
    down: directStatements({ kind: 'DropColumn', table, column: withDefault }, RESTORES_BEFORE_UP),
  };
  return { kind: 'plan', fragments: [add], contract: dropDefaultContract(table, column.name, value) };
}

function dropDefaultContract(table: QualifiedName, column: string, value: string): PendingContract {
  const alter = `ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(column)}`;
  return {
    id: `${ID}:${tableKey(table)}.${column}`,
    summary: `drop the temporary default of ${displayName(table)}.${column}`,
    covers: [covering('SetDefault', table, column)],
    fragments: [{
      stage: STAGE.schema, phase: 'contract', content: 'schema', transactional: true, mergeable: true,
      slug: `drop_${table.name}_${column}_default`,
      summary: `drop the temporary default of ${displayName(table)}.${column}`,
      why: 'dropping a default is catalog-only; every deployed writer now sets the column itself',
      up: [statement(`${alter} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table)],
      down: [statement(`${alter} SET DEFAULT ${value}`, 'ACCESS EXCLUSIVE', table)],
    }],
  };
}

function dropTriggerContract(trigger: RowTrigger, column: string): PendingContract {
  return {
    id: `${ID}:${tableKey(trigger.table)}.${column}`,
    summary: `drop the trigger that fills ${displayName(trigger.table)}.${column} for old writers`,
    covers: [],
    fragments: [{
      stage: STAGE.schema, phase: 'contract', content: 'schema', transactional: true, mergeable: false,
      slug: `drop_${trigger.table.name}_${column}_fill_trigger`,
      summary: `drop the trigger that fills ${displayName(trigger.table)}.${column}`,
      why: 'dropping a trigger is catalog-only; every deployed writer now sets the column itself',
      up: dropTriggerStatements(trigger),
      down: createTriggerStatements(trigger),
    }],
  };
}

function batchedPlan(change: Extract<Change, { kind: 'AddColumn' }>, value: string, primaryKey: readonly string[], columns: readonly string[], ctx: PlanContext): RuleOutcome {
  const { table, column } = change;
  const nullable: Column = { ...column, nullable: true, default: null };
  const col = ident(column.name);
  const alter = `ALTER TABLE ${qualified(table)}`;
  const addUp = directStatements({ kind: 'AddColumn', table, column: nullable });
  const addDown = directStatements({ kind: 'DropColumn', table, column: nullable }, RESTORES_BEFORE_UP);
  // A DEFAULT cannot name columns: then a trigger computes the value for the old writers' INSERTs.
  const usesColumns = referencesAnyColumn(value, columns);
  const trigger: RowTrigger = {
    table, name: fillTriggerName(table, column.name), onUpdateOf: 'never',
    body: [`IF NEW.${col} IS NULL THEN`, `  NEW.${col} := (SELECT ${value} FROM (SELECT NEW.*) AS ${ident(table.name)});`, 'END IF;'],
  };
  const expand: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: !usesColumns,
    slug: `add_${table.name}_${column.name}`,
    summary: usesColumns
      ? `add ${displayName(table)}.${column.name} nullable, with a trigger filling it on INSERT`
      : `add ${displayName(table)}.${column.name} nullable, with the temporary default ${value}`,
    why: usesColumns
      ? 'a nullable column without default is catalog-only; the trigger (SHARE ROW EXCLUSIVE for an instant) fills the column for old INSERTs that do not name it'
      : 'a nullable column without default is catalog-only, and SET DEFAULT only affects future rows: the lock is held for an instant; the default fills the column for old INSERTs that do not name it',
    up: usesColumns ? [...addUp, ...createTriggerStatements(trigger)] : [...addUp, statement(`${alter} ALTER COLUMN ${col} SET DEFAULT ${value}`, 'ACCESS EXCLUSIVE', table)],
    down: usesColumns ? [...dropTriggerStatements(trigger), ...addDown] : addDown,
  };
  const fill = backfillFragment({
    table, primaryKey, batchSize: ctx.decisions.batchSize, batchTimeMs: ctx.decisions.batchTimeMs,
    setSql: `${col} = ${value}`, whereSql: `${col} IS NULL`,
    slug: `backfill_${table.name}_${column.name}`,
    summary: `fill ${displayName(table)}.${column.name} = ${value} in existing rows`,
    undoneBy: `the filled values need no undo: the down of the expand step drops ${column.name}`,
  });
  const notNull = notNullFragments({ table, column: column.name, targetMajor: ctx.targetMajor, primaryKey });
  return {
    kind: 'plan',
    fragments: [expand, fill, ...notNull],
    contract: usesColumns ? dropTriggerContract(trigger, column.name) : dropDefaultContract(table, column.name, value),
  };
}

export const addRequiredColumn = defineRule({
  id: ID,
  kinds: ['AddColumn'],
  claims: (change, ctx) => !isNewTable(ctx, change.table) && isRequiredWithoutDefault(change.column) && columnRenameSuggestion(change, ctx) === null,
  plan(change, ctx): RuleOutcome {
    const { table, column } = change;
    const value = ctx.decisions.backfills.get(backfillKey(table.schema, table.name, column.name));
    const where = `${displayName(table)}.${column.name}`;
    if (value === undefined) {
      return {
        kind: 'needs',
        request: {
          rule: ID,
          reason: `${where} is NOT NULL without a default: ADD COLUMN fails on a table that has rows, and afterwards every INSERT of the running application (which does not know the column) would fail. pgshift needs the value for the existing rows.`,
          flag: backfillFlag(table, column.name),
          wouldDo: WOULD_DO,
        },
      };
    }
    if (isConstantExpression(value)) return constantPlan(table, column, value);
    const current = findTable(ctx.from, table);
    const primaryKey = current?.primaryKey?.columns ?? [];
    if (primaryKey.length === 0) {
      return {
        kind: 'needs',
        request: {
          rule: ID,
          reason: `${where}: the value ${value} is not a constant, so existing rows must be filled in batches, and batches walk the primary key — ${displayName(table)} has none. One UPDATE of the whole table would lock every row until it ends.`,
          flag: `--backfill ${displayName(table)}.${column.name}=<constant>  (a constant is stored without a rewrite; or add a primary key to ${displayName(table)} first)`,
          wouldDo: WOULD_DO,
        },
      };
    }
    const columns = (current?.columns ?? []).map((c) => c.name);
    return batchedPlan(change, value, primaryKey, columns, ctx);
  },
});
