/**
 * Which changes a dev sync may apply: only those that add (schemas, extensions, enums and their labels,
 * tables, columns that existing rows can take, keys, constraints, indexes, comments). Everything else —
 * drops, renames, type/default/nullability changes, enum rebuilds — is skipped with a reason, as is any
 * addition that leans on a skipped change (an index on a column that was not added, a constraint whose
 * name is still taken by the definition it replaces). Pure: the caller says which tables hold rows.
 */
import { assertNever, type Change } from '../diff/change';
import { isObjectChange } from '../diff/object-change';
import { qualifiedKey, type QualifiedName, type SchemaModel } from '../model/schema';
import { describeChange } from '../planner/describe';

export interface SkippedChange {
  readonly change: Change;
  /** Why it was skipped and what to do instead, e.g. "drops data; use `pgshift gen diff`". */
  readonly reason: string;
}

export interface AdditivePlan {
  readonly apply: readonly Change[];
  readonly skipped: readonly SkippedChange[];
}

export interface AdditiveContext {
  /** The database as it is (introspected). */
  readonly current: SchemaModel;
  /** `schema.table` of the existing tables that hold at least one row (only asked for where it matters). */
  readonly tablesWithRows: ReadonlySet<string>;
}

const GEN_DIFF = 'use `pgshift gen diff`';
const genDiffWith = (flag: string) => `use \`pgshift gen diff ${flag}\``;

/** Why a change that is not additive at all is skipped. */
function notAdditiveReason(change: Change): string | null {
  // Views (ordered around what they read), exclusions and generation expressions (table builds and
  // rewrites) need a plan's ordering and decisions.
  if (isObjectChange(change)) return `views, exclusions and generated columns are planned, not synced; ${GEN_DIFF}`;
  switch (change.kind) {
    case 'CreateSchema':
    case 'CreateExtension':
    case 'CreateEnum':
    case 'AddEnumValue':
    case 'CreateTable':
    case 'AddColumn':
    case 'AddPrimaryKey':
    case 'AddUnique':
    case 'AddForeignKey':
    case 'AddCheck':
    case 'CreateIndex':
    case 'SetColumnComment':
    case 'SetTableComment':
      return null;
    case 'DropSchema':
    case 'DropExtension':
    case 'DropEnum':
    case 'DropTable':
    case 'DropColumn':
      return `sync never drops; ${genDiffWith('--allow-destructive')}`;
    case 'DropPrimaryKey':
    case 'DropUnique':
    case 'DropForeignKey':
    case 'DropCheck':
    case 'DropIndex':
      return `sync never drops; ${GEN_DIFF}`;
    case 'RenameTable':
    case 'RenameColumn':
      return `renames are not additive; ${genDiffWith('--rename')}`;
    case 'RebuildEnum':
      return `removing or reordering enum labels rewrites the type; ${GEN_DIFF}`;
    case 'AlterColumnType':
    case 'AlterColumnIdentity':
      return `changes existing data; ${GEN_DIFF}`;
    case 'SetNotNull':
      return `existing rows may hold NULL; ${GEN_DIFF}`;
    case 'DropNotNull':
    case 'SetDefault':
      return `changes an existing column; ${GEN_DIFF}`;
    default:
      return assertNever(change);
  }
}

const columnKey = (table: QualifiedName, column: string) => `${qualifiedKey(table)}.${column}`;

/** True when an SQL expression mentions `column` as an identifier (bare or quoted). */
function mentions(expression: string | null, column: string): boolean {
  if (expression === null) return false;
  if (expression.includes(`"${column.replace(/"/g, '""')}"`)) return true;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$."])${escaped}($|[^A-Za-z0-9_$"])`).test(expression);
}

interface ColumnUse {
  readonly table: QualifiedName;
  readonly columns: readonly string[];
  /** Expressions that may mention columns of `table` by name. */
  readonly expressions: readonly (string | null)[];
}

/** The columns an addition relies on (its own table's, and for a foreign key the referenced table's). */
function columnUses(change: Change): ColumnUse[] {
  switch (change.kind) {
    case 'AddColumn': return [];
    case 'AddPrimaryKey': return [{ table: change.table, columns: change.primaryKey.columns, expressions: [] }];
    case 'AddUnique': return [{ table: change.table, columns: change.unique.columns, expressions: [] }];
    case 'AddCheck': return [{ table: change.table, columns: [], expressions: [change.check.expression] }];
    case 'CreateIndex':
      return [{
        table: change.table,
        columns: change.index.keys.flatMap((k) => (k.column === null ? [] : [k.column])),
        expressions: [...change.index.keys.map((k) => k.expression), change.index.where],
      }];
    case 'AddForeignKey':
      return [
        { table: change.table, columns: change.foreignKey.columns, expressions: [] },
        { table: change.foreignKey.referencedTable, columns: change.foreignKey.referencedColumns, expressions: [] },
      ];
    case 'SetColumnComment': return [{ table: change.table, columns: [change.columnName], expressions: [] }];
    default: return [];
  }
}

/** Names that are already taken: relations per schema (tables, indexes, key constraints) and constraints per table. */
function takenNames(model: SchemaModel): { relations: Set<string>; constraints: Set<string> } {
  const relations = new Set<string>();
  const constraints = new Set<string>();
  for (const table of model.tables) {
    relations.add(qualifiedKey(table));
    const inSchema = (name: string) => relations.add(`${table.schema}.${name}`);
    const onTable = (name: string) => constraints.add(`${qualifiedKey(table)}|${name}`);
    for (const index of table.indexes) inSchema(index.name);
    if (table.primaryKey) { inSchema(table.primaryKey.name); onTable(table.primaryKey.name); }
    for (const unique of table.uniques) { inSchema(unique.name); onTable(unique.name); }
    for (const check of table.checks) onTable(check.name);
    for (const fk of table.foreignKeys) onTable(fk.name);
  }
  return { relations, constraints };
}

/** The name an addition takes, and whether it lives in the schema's relation namespace (an index does). */
function addedName(change: Change): { name: string; isRelation: boolean } | null {
  switch (change.kind) {
    case 'AddPrimaryKey': return { name: change.primaryKey.name, isRelation: true };
    case 'AddUnique': return { name: change.unique.name, isRelation: true };
    case 'CreateIndex': return { name: change.index.name, isRelation: true };
    case 'AddCheck': return { name: change.check.name, isRelation: false };
    case 'AddForeignKey': return { name: change.foreignKey.name, isRelation: false };
    default: return null;
  }
}

export function planAdditive(changes: readonly Change[], context: AdditiveContext): AdditivePlan {
  const apply: Change[] = [];
  const skipped: SkippedChange[] = [];
  // Columns whose own change was skipped, with the words to explain a dependent skip. The diff orders
  // column changes before the keys, constraints and indexes that use them, so one pass sees them first.
  const blockedColumns = new Map<string, string>();
  const skippedKeys = new Set<string>();
  const taken = takenNames(context.current);
  const tablesWithPk = new Set(context.current.tables.filter((t) => t.primaryKey).map(qualifiedKey));
  const skip = (change: Change, reason: string) => {
    skipped.push({ change, reason });
    if (change.kind === 'AddColumn') blockedColumns.set(columnKey(change.table, change.column.name), `column ${change.column.name} was not added`);
    if (change.kind === 'AlterColumnType') blockedColumns.set(columnKey(change.table, change.to.name), `the type change of ${change.to.name} was skipped`);
    if (change.kind === 'AddPrimaryKey') skippedKeys.add(`${qualifiedKey(change.table)}(${change.primaryKey.columns.join(',')})`);
    if (change.kind === 'AddUnique') skippedKeys.add(`${qualifiedKey(change.table)}(${change.unique.columns.join(',')})`);
  };

  for (const change of changes) {
    const notAdditive = notAdditiveReason(change);
    if (notAdditive !== null) { skip(change, notAdditive); continue; }

    if (change.kind === 'AddColumn') {
      const { column } = change;
      const fillsItself = column.nullable || column.default !== null || column.serial || column.identity !== null;
      if (!fillsItself && context.tablesWithRows.has(qualifiedKey(change.table))) {
        skip(change, `NOT NULL without a default, and the table has rows; give it a default or make it nullable, or ${genDiffWith('--backfill')}`);
        continue;
      }
    }

    const blocker = columnUses(change)
      .flatMap((use) => {
        const byName = use.columns.map((c) => blockedColumns.get(columnKey(use.table, c)));
        const byExpression = [...blockedColumns.entries()]
          .filter(([key]) => key.startsWith(`${qualifiedKey(use.table)}.`))
          .filter(([key]) => use.expressions.some((e) => mentions(e, key.slice(qualifiedKey(use.table).length + 1))))
          .map(([, why]) => why);
        return [...byName, ...byExpression];
      })
      .find((why): why is string => why !== undefined);
    if (blocker) { skip(change, `depends on a skipped change: ${blocker}`); continue; }

    if (change.kind === 'AddPrimaryKey' && tablesWithPk.has(qualifiedKey(change.table))) {
      skip(change, `the table already has a primary key, and replacing it needs a drop; ${GEN_DIFF}`);
      continue;
    }
    const added = addedName(change);
    if (added && 'table' in change) {
      const inUse = added.isRelation
        ? taken.relations.has(`${change.table.schema}.${added.name}`) || taken.constraints.has(`${qualifiedKey(change.table)}|${added.name}`)
        : taken.constraints.has(`${qualifiedKey(change.table)}|${added.name}`);
      if (inUse) {
        skip(change, `the name ${added.name} is taken by the definition it replaces, which needs a drop; ${GEN_DIFF}`);
        continue;
      }
    }
    if (change.kind === 'AddForeignKey') {
      const fk = change.foreignKey;
      if (skippedKeys.has(`${qualifiedKey(fk.referencedTable)}(${fk.referencedColumns.join(',')})`)) {
        skip(change, `depends on a skipped change: the key it references on ${describeName(fk.referencedTable)} was not added`);
        continue;
      }
    }
    apply.push(change);
  }
  return { apply, skipped };
}

function describeName(name: QualifiedName): string {
  return name.schema === 'public' ? name.name : qualifiedKey(name);
}

/** `skipped: drop column users.legacy — sync never drops; use `pgshift gen diff` …` */
export function describeSkipped(skipped: SkippedChange): string {
  return `${describeChange(skipped.change)} — ${skipped.reason}`;
}
