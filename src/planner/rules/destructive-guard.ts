/**
 * Rule `destructive-guard`: drops that lose data or integrity (a column, a table, a constraint, an enum,
 * enum labels, a schema) are refused unless `--allow-destructive` was given. With it, they are emitted as
 * contract-phase fragments after everything else, each with a down that re-creates the object (the data
 * cannot return). Replaced objects (same name still wanted) never reach this rule: replace-definition
 * handles them; nor do drops the rename rule claims: it comes before this one. DROP INDEX goes through
 * drop-index-concurrently, which asks the same question. See destructive-guard.md.
 */
import { isReplaced } from './replace-definition';
import { invertChange, type Change } from '../../diff/change';
import type { Column, QualifiedName } from '../../model/schema';
import { addColumnStatement } from '../../sql/ddl';
import { statement } from '../../sql/statement';
import { directStatements } from '../change-sql';
import { ident, literal, qualified } from '../../sql/quote';
import type { DecisionRequest } from '../decisions';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { currentTable, targetTable } from '../model-lookup';
import type { PlanContext, RuleOutcome } from '../rule';
import { defineRule, isNewTable, type ChangeOf } from '../rule';
import { canWatchDrop, fillValue, watchedDrop } from '../drop-column-watch';
import type { Statement } from '../../sql/statement';
import { RESTORES_BEFORE_UP } from '../lint-waiver';

export const ALLOW_DESTRUCTIVE = '--allow-destructive';

/** `users.name` / `app.users.name`: the spelling `--rename` and `--backfill` accept. */
function columnRef(table: QualifiedName, column: string): string {
  return `${displayName(table)}.${column}`;
}

/** Columns the entities add to `table` in this plan: a dropped column may be one of them renamed. */
function addedColumns(ctx: PlanContext, table: QualifiedName): string[] {
  const before = currentTable(ctx, table);
  const after = targetTable(ctx, table);
  if (!before || !after) return [];
  return after.columns.filter((c) => !before.columns.some((b) => b.name === c.name)).map((c) => c.name);
}

function loss(change: Change): string {
  switch (change.kind) {
    case 'DropColumn': return `deletes the data of ${columnRef(change.table, change.column.name)}, and running code that still reads or writes it fails`;
    case 'DropTable': return `deletes table ${displayName(change.table)} and all its rows`;
    case 'RebuildEnum': {
      const removed = change.from.values.filter((v) => !change.to.values.includes(v));
      return `removes label(s) ${removed.join(', ')} from enum ${displayName(change.from)}; rows holding them make it fail`;
    }
    case 'DropIndex': return `removes index ${change.index.name}: queries that use it get slower`;
    case 'DropSchema': return `drops schema ${change.schema}`;
    default: return `${describeChange(change)} removes a guarantee the data has today`;
  }
}

export function destructiveRequest(change: Change, ctx: PlanContext): DecisionRequest {
  let rename = '';
  if (change.kind === 'DropColumn') {
    const added = addedColumns(ctx, change.table);
    const which = added.length === 1 ? added[0] : `one of ${added.join(', ')}`;
    if (added.length > 0) rename = ` (or --rename ${columnRef(change.table, change.column.name)}=${added[0]} if ${which} is ${change.column.name} renamed)`;
  }
  return {
    rule: change.kind === 'DropIndex' ? 'drop-index-concurrently' : 'destructive-guard',
    reason: `${describeChange(change)}: this ${loss(change)}`,
    flag: `${ALLOW_DESTRUCTIVE}${rename}`,
    wouldDo: watchesDrop(change, ctx)
      ? `an expand that watches the column (writes that still set it, reads via pg_stat_statements), then a contract (gen diff --contract, held by the contract gate while it is used): ${directStatements(change).map((s) => s.sql).join('; ')}`
      : `a contract file after every other step of the plan: ${directStatements(change).map((s) => s.sql.split('\n')[0]).join('; ')}` +
        (change.kind === 'DropIndex' ? ' (CONCURRENTLY)' : '') +
        '; deploy code that no longer uses it first',
  };
}

/**
 * A placeholder of the column's type, used only to re-add a dropped NOT NULL column in a down (the rows
 * need some value); the default is dropped right after, so the schema matches exactly. Null when the
 * type has no obvious zero.
 */
export function placeholderValue(column: Column, ctx: PlanContext): string | null {
  if (column.isArray) return "'{}'";
  if (column.enumType) {
    const e = ctx.from.enums.find((x) => x.schema === column.enumType!.schema && x.name === column.enumType!.name);
    return e && e.values.length > 0 ? literal(e.values[0]!) : null;
  }
  const t = column.dataType;
  if (/^(smallint|integer|bigint|numeric|decimal|real|double precision|money)\b/.test(t)) return '0';
  if (/^(text|character|character varying|citext|bytea)\b/.test(t)) return "''";
  if (t === 'boolean') return 'false';
  if (t === 'uuid') return "'00000000-0000-0000-0000-000000000000'";
  if (/^(timestamp|date)\b/.test(t)) return "'epoch'";
  if (/^time\b/.test(t)) return "'00:00'";
  if (/^interval\b/.test(t)) return "'0'";
  if (t === 'json' || t === 'jsonb') return "'{}'";
  if (t === 'inet' || t === 'cidr') return "'0.0.0.0/0'";
  return null;
}

/** Re-adds a dropped column with its type, nullability, default and comment (not its data). */
export function restoreColumn(table: QualifiedName, column: Column, ctx: PlanContext): { statements: Statement[]; note: string } {
  const t = qualified(table);
  const col = ident(column.name);
  const out: Statement[] = [];
  let note = `the data of ${columnRef(table, column.name)} cannot return: the column comes back empty`;
  const needsFill = !column.nullable && column.default === null && !column.serial && !column.identity;
  const placeholder = needsFill ? placeholderValue(column, ctx) : null;
  if (needsFill && placeholder !== null) {
    out.push(addColumnStatement(table, { ...column, default: placeholder }, RESTORES_BEFORE_UP));
    out.push(statement(`ALTER TABLE ${t} ALTER COLUMN ${col} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table));
    note = `the data of ${columnRef(table, column.name)} cannot return: the NOT NULL column comes back filled with ${placeholder} (a placeholder default, dropped right after)`;
  } else if (needsFill) {
    out.push(addColumnStatement(table, { ...column, nullable: true }, RESTORES_BEFORE_UP));
    note = `the data of ${columnRef(table, column.name)} cannot return, and having no placeholder for type ${column.dataType} the column comes back nullable: set NOT NULL by hand once it is filled`;
  } else {
    out.push(addColumnStatement(table, column, RESTORES_BEFORE_UP));
    if (!column.nullable && column.default !== null) note = `the data of ${columnRef(table, column.name)} cannot return: rows get its default ${column.default}`;
  }
  if (column.comment !== null) out.push(statement(`COMMENT ON COLUMN ${t}.${col} IS ${literal(column.comment)}`, null, null));
  return { statements: out, note };
}

function downOf(change: Change, ctx: PlanContext): { statements: Statement[]; note?: string } {
  switch (change.kind) {
    case 'DropColumn': return restoreColumn(change.table, change.column, ctx);
    case 'DropTable': return { statements: directStatements(invertChange(change), RESTORES_BEFORE_UP), note: `the rows of ${displayName(change.table)} cannot return: the table comes back empty` };
    case 'RebuildEnum': return { statements: directStatements(invertChange(change), RESTORES_BEFORE_UP), note: 'rows that held the removed labels were already refused by the up' };
    default: return { statements: directStatements(invertChange(change), RESTORES_BEFORE_UP) };
  }
}

/** The drop as a contract-phase fragment at the very end of the plan. */
export function contractFragment(change: Change, ctx: PlanContext): Fragment {
  const down = downOf(change, ctx);
  return {
    stage: STAGE.contract,
    phase: 'contract',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: changeSlug(change),
    summary: describeChange(change),
    why:
      `${ALLOW_DESTRUCTIVE} was given; a contract step runs after every other step of this plan, once deployed code no longer uses what it drops. ` +
      'Dropping is catalog only: the lock is held for an instant, bounded by lock_timeout',
    up: directStatements(change, `${ALLOW_DESTRUCTIVE} was given: the user accepted that this ${loss(change)}`),
    down: down.statements,
    ...(down.note ? { downNote: down.note } : {}),
  };
}

/** Removing labels is destructive; a pure reorder keeps every value and is left to the enum rules. */
function removesLabels(change: Change): boolean {
  return change.kind === 'RebuildEnum' && change.from.values.some((v) => !change.to.values.includes(v));
}

/**
 * A column of a table that stays, dropped with the flag: deferred to a gated contract (drop-column-watch.ts).
 * Not a new table's (nothing can use it), nor a key column, nor one filled by the table itself.
 */
function watchesDrop(change: Change, ctx: PlanContext): change is ChangeOf<'DropColumn'> {
  if (change.kind !== 'DropColumn' || isNewTable(ctx, change.table) || !canWatchDrop(change.column)) return false;
  const current = currentTable(ctx, change.table);
  if (current === undefined || targetTable(ctx, change.table) === undefined || current.primaryKey?.columns.includes(change.column.name)) return false;
  return fillValue(change.column, placeholderValue(change.column, ctx)) !== undefined;
}

function watchedDropOutcome(change: Change, ctx: PlanContext): RuleOutcome | null {
  if (!watchesDrop(change, ctx)) return null;
  const fill = fillValue(change.column, placeholderValue(change.column, ctx)) ?? null;
  const { expand, contract } = watchedDrop(change.table, change.column, fill, contractFragment(change, ctx), (column) => restoreColumn(change.table, column, ctx));
  return { kind: 'plan', fragments: [expand], contract };
}

export const destructiveGuard = defineRule({
  id: 'destructive-guard',
  kinds: ['DropColumn', 'DropTable', 'DropUnique', 'DropCheck', 'DropForeignKey', 'DropPrimaryKey', 'DropEnum', 'RebuildEnum', 'DropSchema'],
  // A pure reorder keeps every value (direct); a redefined constraint keeps its object (replace-definition).
  claims: (change, ctx) => (change.kind === 'RebuildEnum' ? removesLabels(change) : !isReplaced(change, ctx)),
  plan(change, ctx): RuleOutcome {
    if (!ctx.decisions.allowDestructive) return { kind: 'refused', request: destructiveRequest(change, ctx) };
    return watchedDropOutcome(change, ctx) ?? { kind: 'plan', fragments: [contractFragment(change, ctx)] };
  },
});
