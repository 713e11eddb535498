/**
 * Changes inside one table that exists on both sides (after renames are applied).
 */
import type { Column, ForeignKey, Index, QualifiedName, Table, UniqueConstraint } from '../model/schema';
import type { Change } from './change';
import { pairObjects, sameCheck, sameForeignKey, sameIndex, sameList, sameUnique } from './match';
import { exclusionChanges, generatedChanges } from './exclusion-diff';

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
    changes.push({ kind: 'SetDefault', table, column: to.name, from: from.default, to: to.default });
  }
  if (from.nullable && !to.nullable) changes.push({ kind: 'SetNotNull', table, column: to });
  if (!from.nullable && to.nullable) changes.push({ kind: 'DropNotNull', table, column: to });
  if (from.comment !== to.comment) {
    changes.push({ kind: 'SetColumnComment', table, column: to.name, from: from.comment, to: to.comment });
  }
  return changes;
}

/** Column changes, then constraint and index changes: drops before adds so names can be reused. */
export function tableChanges(from: Table, to: Table, renamedColumns: ReadonlyMap<string, string>): Change[] {
  const name: QualifiedName = { schema: to.schema, name: to.name };
  const changes: Change[] = [];
  const toColumns = new Map(to.columns.map((c) => [c.name, c]));
  const matched = new Set<string>();
  for (const column of from.columns) {
    const newName = renamedColumns.get(column.name);
    if (newName !== undefined) {
      const target = toColumns.get(newName);
      if (!target) continue;
      const renamed = { ...column, name: newName };
      changes.push({ kind: 'RenameColumn', table: name, from: column, to: renamed });
      changes.push(...columnChanges(name, renamed, target));
      matched.add(newName);
      continue;
    }
    const target = toColumns.get(column.name);
    if (target) {
      changes.push(...columnChanges(name, column, target));
      matched.add(column.name);
    } else {
      changes.push({ kind: 'DropColumn', table: name, column });
    }
  }
  for (const column of to.columns) {
    if (!matched.has(column.name)) changes.push({ kind: 'AddColumn', table: name, column });
  }

  const renameColumn = (c: string) => renamedColumns.get(c) ?? c;
  const pk = (t: Table, rename: boolean) => t.primaryKey && { ...t.primaryKey, columns: rename ? t.primaryKey.columns.map(renameColumn) : t.primaryKey.columns };
  const fromPk = pk(from, true);
  const toPk = pk(to, false);
  if (!(fromPk === null && toPk === null) && !(fromPk && toPk && sameList(fromPk.columns, toPk.columns))) {
    if (from.primaryKey) changes.push({ kind: 'DropPrimaryKey', table: name, primaryKey: from.primaryKey });
    if (to.primaryKey) changes.push({ kind: 'AddPrimaryKey', table: name, primaryKey: to.primaryKey });
  }

  const renameUnique = (u: UniqueConstraint) => ({ ...u, columns: u.columns.map(renameColumn) });
  const uniques = pairObjects(from.uniques, to.uniques, sameUnique, renameUnique);
  for (const [a, b] of uniques.pairs) {
    if (!sameUnique(renameUnique(a), b)) changes.push({ kind: 'DropUnique', table: name, unique: a }, { kind: 'AddUnique', table: name, unique: b });
  }
  for (const u of uniques.onlyFrom) changes.push({ kind: 'DropUnique', table: name, unique: u });
  for (const u of uniques.onlyTo) changes.push({ kind: 'AddUnique', table: name, unique: u });

  const checks = pairObjects(from.checks, to.checks, sameCheck);
  for (const [a, b] of checks.pairs) {
    if (!sameCheck(a, b)) changes.push({ kind: 'DropCheck', table: name, check: a }, { kind: 'AddCheck', table: name, check: b });
  }
  for (const c of checks.onlyFrom) changes.push({ kind: 'DropCheck', table: name, check: c });
  for (const c of checks.onlyTo) changes.push({ kind: 'AddCheck', table: name, check: c });

  const renameKeys = (i: Index) => ({ ...i, keys: i.keys.map((k) => (k.column === null ? k : { ...k, column: renameColumn(k.column) })) });
  const indexes = pairObjects(from.indexes, to.indexes, sameIndex, renameKeys);
  for (const [a, b] of indexes.pairs) {
    if (!sameIndex(renameKeys(a), b)) changes.push({ kind: 'DropIndex', table: name, index: a }, { kind: 'CreateIndex', table: name, index: b });
  }
  for (const i of indexes.onlyFrom) changes.push({ kind: 'DropIndex', table: name, index: i });
  for (const i of indexes.onlyTo) changes.push({ kind: 'CreateIndex', table: name, index: i });

  changes.push(...exclusionChanges(name, from, to));
  changes.push(...foreignKeyChanges(name, from, to, renameColumn));
  if (from.comment !== to.comment) changes.push({ kind: 'SetTableComment', table: name, from: from.comment, to: to.comment });
  return changes;
}

function foreignKeyChanges(name: QualifiedName, from: Table, to: Table, renameColumn: (c: string) => string): Change[] {
  const changes: Change[] = [];
  const renameFk = (f: ForeignKey) => ({ ...f, columns: f.columns.map(renameColumn) });
  const fks = pairObjects(from.foreignKeys, to.foreignKeys, sameForeignKey, renameFk);
  for (const [a, b] of fks.pairs) {
    if (!sameForeignKey(renameFk(a), b)) changes.push({ kind: 'DropForeignKey', table: name, foreignKey: a }, { kind: 'AddForeignKey', table: name, foreignKey: b });
  }
  for (const f of fks.onlyFrom) changes.push({ kind: 'DropForeignKey', table: name, foreignKey: f });
  for (const f of fks.onlyTo) changes.push({ kind: 'AddForeignKey', table: name, foreignKey: f });
  return changes;
}
