/**
 * model × model → typed changes, in a dependency-safe order. Pure.
 *
 * Objects that exist only in the database and belong to no entity at all (a table, an enum, a schema
 * that no entity mentions) are *unmanaged*: reported, never turned into drops unless the caller says
 * `dropUnmanaged` (the CLI's --allow-destructive). Inside a managed table, a column or index that the
 * entity no longer has is a real drop (the planner refuses it without a decision).
 */
import { DEFAULT_SCHEMA, qualifiedKey, type EnumType, type QualifiedName, type SchemaModel, type Table } from '../model/schema';
import type { Change, EnumUsage } from './change';
import { orderChanges } from './order';
import { tableChanges } from './table-diff';
import { viewChanges, type UnmanagedView } from './view-diff';

export interface ColumnRename {
  readonly table: QualifiedName;
  readonly from: string;
  readonly to: string;
}

export interface TableRename {
  readonly from: QualifiedName;
  readonly to: QualifiedName;
}

export interface DiffOptions {
  /** Column renames by decision: each becomes one RenameColumn (an expand/contract), not a drop and an add. */
  readonly columnRenames?: readonly ColumnRename[];
  /** Table renames by decision: a RenameTable, and the table's contents compared under the new name. */
  readonly tableRenames?: readonly TableRename[];
  /** Turn unmanaged tables and enums into drops. */
  readonly dropUnmanaged?: boolean;
  /**
   * Changes a pending contract step explains (src/emit/contract-file.ts): its record carries the views
   * over them around its own SQL, so they do not drop or re-create views in this diff.
   */
  readonly pending?: (change: Change) => boolean;
  /** Views pgshift keeps for a pending contract (rename-table's compatibility views): see view-diff.ts. */
  readonly ownViews?: readonly QualifiedName[];
}

export type Unmanaged =
  | { readonly kind: 'table'; readonly name: QualifiedName }
  | { readonly kind: 'enum'; readonly name: QualifiedName }
  | { readonly kind: 'schema'; readonly name: string }
  | UnmanagedView;

export interface DiffResult {
  readonly changes: readonly Change[];
  readonly unmanaged: readonly Unmanaged[];
}

export function diffModels(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): DiffResult {
  const changes: Change[] = [];
  const unmanaged: Unmanaged[] = [];

  for (const schema of to.schemas) {
    if (!from.schemas.includes(schema)) changes.push({ kind: 'CreateSchema', schema });
  }
  for (const schema of from.schemas) {
    if (schema !== DEFAULT_SCHEMA && !to.schemas.includes(schema)) {
      const hasObjects = from.tables.some((t) => t.schema === schema) || from.enums.some((e) => e.schema === schema)
        || (from.views ?? []).some((v) => v.schema === schema);
      if (hasObjects || !options.dropUnmanaged) unmanaged.push({ kind: 'schema', name: schema });
      else changes.push({ kind: 'DropSchema', schema });
    }
  }
  for (const extension of to.extensions) {
    if (!from.extensions.includes(extension)) changes.push({ kind: 'CreateExtension', extension });
  }

  changes.push(...enumChanges(from, to, options, unmanaged));
  changes.push(...tableLevelChanges(from, to, options, unmanaged));
  const beneathViews = options.pending ? changes.filter((c) => !options.pending!(c)) : changes;
  changes.push(...viewChanges(from, to, beneathViews, options, unmanaged as UnmanagedView[]));
  return { changes: orderChanges(changes), unmanaged };
}

function enumUsages(model: SchemaModel, enumType: QualifiedName): EnumUsage[] {
  const usages: EnumUsage[] = [];
  for (const table of model.tables) {
    for (const column of table.columns) {
      if (column.enumType && column.enumType.schema === enumType.schema && column.enumType.name === enumType.name) {
        usages.push({ table: { schema: table.schema, name: table.name }, column });
      }
    }
  }
  return usages;
}

function enumChanges(from: SchemaModel, to: SchemaModel, options: DiffOptions, unmanaged: Unmanaged[]): Change[] {
  const changes: Change[] = [];
  const fromByKey = new Map(from.enums.map((e) => [qualifiedKey(e), e]));
  const toKeys = new Set(to.enums.map(qualifiedKey));
  for (const target of to.enums) {
    const current = fromByKey.get(qualifiedKey(target));
    if (!current) {
      changes.push({ kind: 'CreateEnum', enumType: target });
    } else if (current.values.join('\u0000') !== target.values.join('\u0000')) {
      changes.push(...enumValueChanges(current, target, enumUsages(from, target)));
    }
  }
  for (const current of from.enums) {
    if (toKeys.has(qualifiedKey(current))) continue;
    if (options.dropUnmanaged) changes.push({ kind: 'DropEnum', enumType: current });
    else unmanaged.push({ kind: 'enum', name: { schema: current.schema, name: current.name } });
  }
  return changes;
}

/** Additions only → one AddEnumValue per label, each placed next to a label that already exists. */
function enumValueChanges(current: EnumType, target: EnumType, usages: EnumUsage[]): Change[] {
  const isAdditionOnly =
    current.values.every((v) => target.values.includes(v)) &&
    target.values.filter((v) => current.values.includes(v)).join('\u0000') === current.values.join('\u0000');
  if (!isAdditionOnly) return [{ kind: 'RebuildEnum', from: current, to: target, usages }];
  const changes: Change[] = [];
  let values = [...current.values];
  target.values.forEach((value, position) => {
    if (values.includes(value)) return;
    const before = target.values.slice(position + 1).find((v) => values.includes(v)) ?? null;
    const after = before === null ? (target.values.slice(0, position).reverse().find((v) => values.includes(v)) ?? null) : null;
    const at = before === null ? values.length : values.indexOf(before);
    values = [...values.slice(0, at), value, ...values.slice(at)];
    changes.push({ kind: 'AddEnumValue', enumType: { ...target, values }, value, before, after, usages });
  });
  return changes;
}

function stripForeignKeys(table: Table): Table {
  return { ...table, foreignKeys: [] };
}

function tableLevelChanges(from: SchemaModel, to: SchemaModel, options: DiffOptions, unmanaged: Unmanaged[]): Change[] {
  const changes: Change[] = [];
  const renamedFrom = new Map((options.tableRenames ?? []).map((r) => [qualifiedKey(r.from), r.to]));
  const fromByKey = new Map<string, Table>();
  for (const table of from.tables) {
    const renamedTo = renamedFrom.get(qualifiedKey(table));
    fromByKey.set(qualifiedKey(renamedTo ?? table), table);
  }
  const toKeys = new Set(to.tables.map(qualifiedKey));
  const isGone = (table: Table) => !toKeys.has(qualifiedKey(renamedFrom.get(qualifiedKey(table)) ?? table));
  const droppedTables = new Set(options.dropUnmanaged ? from.tables.filter(isGone).map(qualifiedKey) : []);
  for (const target of to.tables) {
    const current = fromByKey.get(qualifiedKey(target));
    const name = { schema: target.schema, name: target.name };
    if (!current) {
      // FKs go in separate changes so that tables can reference each other in any order.
      changes.push({ kind: 'CreateTable', table: name, definition: stripForeignKeys(target) });
      for (const foreignKey of target.foreignKeys) changes.push({ kind: 'AddForeignKey', table: name, foreignKey });
      continue;
    }
    if (current.name !== target.name || current.schema !== target.schema) {
      changes.push({ kind: 'RenameTable', from: current, to: { ...current, schema: target.schema, name: target.name } });
    }
    const renames = new Map(
      (options.columnRenames ?? [])
        .filter((r) => r.table.schema === target.schema && r.table.name === target.name)
        .map((r) => [r.from, r.to]),
    );
    changes.push(...tableChanges({ ...current, schema: target.schema, name: target.name }, target, { renamedColumns: renames, droppedTables }));
  }
  for (const current of from.tables) {
    if (!isGone(current)) continue;
    const name = { schema: current.schema, name: current.name };
    if (!options.dropUnmanaged) {
      unmanaged.push({ kind: 'table', name });
      continue;
    }
    for (const foreignKey of current.foreignKeys) changes.push({ kind: 'DropForeignKey', table: name, foreignKey });
    changes.push({ kind: 'DropTable', table: name, definition: stripForeignKeys(current) });
  }
  return changes;
}
