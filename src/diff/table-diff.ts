/**
 * Changes inside one table that exists on both sides (after renames are applied).
 */
import type { Column, QualifiedName, Table } from '../model/schema';
import type { Change, RetiredObject } from './change';
import { pairObjects, sameCheck, sameForeignKey, sameIndex, sameList, sameUnique } from './match';
import { exclusionChanges, generatedChanges } from './exclusion-diff';
import { retiredBy, type DroppedObject } from './retired-objects';

export function sameColumnType(a: Column, b: Column): boolean {
  return (
    a.dataType === b.dataType &&
    a.isArray === b.isArray &&
    (a.enumType?.schema ?? null) === (b.enumType?.schema ?? null) &&
    (a.enumType?.name ?? null) === (b.enumType?.name ?? null)
  );
}

export function columnChanges(table: QualifiedName, from: Column, to: Column): Change[] {
  const changes: Change[] = [];
  const typeChanged = !sameColumnType(from, to);
  // A type change carries the column's defaults with it (the default must be re-set under the new type).
  if (typeChanged) changes.push({ kind: 'AlterColumnType', table, from, to });
  if (from.identity !== to.identity || from.serial !== to.serial) {
    changes.push({ kind: 'AlterColumnIdentity', table, from, to });
  }
  changes.push(...generatedChanges(table, from, to));
  if (!typeChanged && from.default !== to.default && !to.serial && !to.identity) {
    changes.push({ kind: 'SetDefault', table, columnName: to.name, from: from.default, to: to.default });
  }
  if (from.nullable && !to.nullable) changes.push({ kind: 'SetNotNull', table, column: to });
  if (!from.nullable && to.nullable) changes.push({ kind: 'DropNotNull', table, column: to });
  if (from.comment !== to.comment) {
    changes.push({ kind: 'SetColumnComment', table, columnName: to.name, from: from.comment, to: to.comment });
  }
  return changes;
}

/** What the table's diff needs to know beyond the two tables. */
export interface TableDiffOptions {
  /** Old column name → new name, by decision (`--rename`). */
  readonly renamedColumns: ReadonlyMap<string, string>;
  /** `qualifiedKey`s of the tables this plan drops (a renamed column's foreign key to one is dropped first). */
  readonly droppedTables: ReadonlySet<string>;
}

/**
 * Column changes, then constraint and index changes: drops before adds so names can be reused. A renamed
 * column is one RenameColumn (at the place its new name has among the added columns), carrying the
 * objects on its old name that its contract retires (retired-objects.ts).
 */
export function tableChanges(from: Table, to: Table, options: TableDiffOptions): Change[] {
  const name: QualifiedName = { schema: to.schema, name: to.name };
  const toColumns = new Map(to.columns.map((c) => [c.name, c]));
  const fromColumns = new Map(from.columns.map((c) => [c.name, c]));
  // A rename counts when the old column exists, the new name is wanted and is not the old column's own.
  const renames = new Map([...options.renamedColumns].filter(([old, next]) => fromColumns.has(old) && toColumns.has(next) && !toColumns.has(old) && !fromColumns.has(next)));
  const renamedTo = new Map([...renames].map(([old, next]) => [next, old]));
  const columns: Change[] = [];
  for (const column of from.columns) {
    if (renames.has(column.name)) continue;
    const target = toColumns.get(column.name);
    columns.push(...(target ? columnChanges(name, column, target) : [{ kind: 'DropColumn', table: name, column } as const]));
  }
  const facts = {
    renamed: new Set(renames.keys()),
    dropped: new Set(from.columns.filter((c) => !toColumns.has(c.name) && !renames.has(c.name)).map((c) => c.name)),
    droppedTables: options.droppedTables,
  };
  const retires = new Map<string, RetiredObject[]>();
  const objects = objectChanges(name, from, to).filter((change) => {
    if (!isDroppedObject(change)) return true;
    const retired = renames.size > 0 ? retiredBy(from, change, facts) : null;
    for (const column of retired?.renamedColumns ?? []) retires.set(column, [...(retires.get(column) ?? []), retired!]);
    return retired === null;
  });
  for (const column of to.columns) {
    if (fromColumns.has(column.name)) continue;
    const old = renamedTo.get(column.name);
    columns.push(old === undefined
      ? { kind: 'AddColumn', table: name, column }
      : { kind: 'RenameColumn', table: name, from: fromColumns.get(old)!, to: column, retires: retires.get(old) ?? [] });
  }
  const comment: Change[] = from.comment !== to.comment ? [{ kind: 'SetTableComment', table: name, from: from.comment, to: to.comment }] : [];
  return [...columns, ...objects, ...comment];
}

function isDroppedObject(change: Change): change is DroppedObject {
  return change.kind === 'DropIndex' || change.kind === 'DropUnique' || change.kind === 'DropCheck' || change.kind === 'DropForeignKey';
}

/** Keys, constraints and indexes, compared by name and then by shape (match.ts). */
function objectChanges(name: QualifiedName, from: Table, to: Table): Change[] {
  const changes: Change[] = [];
  const fromPk = from.primaryKey;
  const toPk = to.primaryKey;
  if (!(fromPk === null && toPk === null) && !(fromPk && toPk && sameList(fromPk.columns, toPk.columns))) {
    if (fromPk) changes.push({ kind: 'DropPrimaryKey', table: name, primaryKey: fromPk });
    if (toPk) changes.push({ kind: 'AddPrimaryKey', table: name, primaryKey: toPk });
  }

  const uniques = pairObjects(from.uniques, to.uniques, sameUnique);
  for (const [a, b] of uniques.pairs) {
    if (!sameUnique(a, b)) changes.push({ kind: 'DropUnique', table: name, unique: a }, { kind: 'AddUnique', table: name, unique: b });
  }
  for (const u of uniques.onlyFrom) changes.push({ kind: 'DropUnique', table: name, unique: u });
  for (const u of uniques.onlyTo) changes.push({ kind: 'AddUnique', table: name, unique: u });

  const checks = pairObjects(from.checks, to.checks, sameCheck);
  for (const [a, b] of checks.pairs) {
    if (!sameCheck(a, b)) changes.push({ kind: 'DropCheck', table: name, check: a }, { kind: 'AddCheck', table: name, check: b });
  }
  for (const c of checks.onlyFrom) changes.push({ kind: 'DropCheck', table: name, check: c });
  for (const c of checks.onlyTo) changes.push({ kind: 'AddCheck', table: name, check: c });

  const indexes = pairObjects(from.indexes, to.indexes, sameIndex);
  for (const [a, b] of indexes.pairs) {
    if (!sameIndex(a, b)) changes.push({ kind: 'DropIndex', table: name, index: a }, { kind: 'CreateIndex', table: name, index: b });
  }
  for (const i of indexes.onlyFrom) changes.push({ kind: 'DropIndex', table: name, index: i });
  for (const i of indexes.onlyTo) changes.push({ kind: 'CreateIndex', table: name, index: i });

  changes.push(...exclusionChanges(name, from, to));
  const fks = pairObjects(from.foreignKeys, to.foreignKeys, sameForeignKey);
  for (const [a, b] of fks.pairs) {
    if (!sameForeignKey(a, b)) changes.push({ kind: 'DropForeignKey', table: name, foreignKey: a }, { kind: 'AddForeignKey', table: name, foreignKey: b });
  }
  for (const f of fks.onlyFrom) changes.push({ kind: 'DropForeignKey', table: name, foreignKey: f });
  for (const f of fks.onlyTo) changes.push({ kind: 'AddForeignKey', table: name, foreignKey: f });
  return changes;
}
