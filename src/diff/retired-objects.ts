/**
 * Which indexes and constraints a column rename retires. A rename is an expand/contract: the old column
 * stays (kept equal to the new one by a trigger) until its contract drops it, and DROP COLUMN takes the
 * objects on it along. So an object the entity no longer has, on a renamed column's old name, is not a
 * Drop change of this plan but part of the rename — unless something else in this plan needs it gone
 * first: it also involves a column dropped outright (that drop comes before the contract), or it is a
 * foreign key to a table this plan drops (DROP TABLE would fail while the key exists).
 */
import { qualifiedKey, type Index, type Table } from '../model/schema';
import { referencesAnyColumn } from '../sql/expression-facts';
import type { Change, RetiredObject } from './change';

/** The Drop changes an object can have, without their table. */
export type DroppedObject = Extract<Change, { kind: 'DropIndex' | 'DropUnique' | 'DropCheck' | 'DropForeignKey' }>;

function indexUses(index: Index, column: string): boolean {
  return index.keys.some((k) => k.column === column || (k.expression !== null && referencesAnyColumn(k.expression, [column])))
    || (index.where !== null && referencesAnyColumn(index.where, [column]));
}

function uses(drop: DroppedObject, column: string): boolean {
  switch (drop.kind) {
    case 'DropIndex': return indexUses(drop.index, column);
    case 'DropUnique': return drop.unique.columns.includes(column);
    case 'DropCheck': return referencesAnyColumn(drop.check.expression, [column]);
    case 'DropForeignKey': return drop.foreignKey.columns.includes(column);
  }
}

/** The columns of `table` (in table order) that the object involves. */
export function involvedColumns(table: Table, drop: DroppedObject): string[] {
  return table.columns.map((c) => c.name).filter((c) => uses(drop, c));
}

function retired(drop: DroppedObject, renamedColumns: readonly string[]): RetiredObject {
  switch (drop.kind) {
    case 'DropIndex': return { kind: 'index', index: drop.index, renamedColumns };
    case 'DropUnique': return { kind: 'unique', unique: drop.unique, renamedColumns };
    case 'DropCheck': return { kind: 'check', check: drop.check, renamedColumns };
    case 'DropForeignKey': return { kind: 'foreignKey', foreignKey: drop.foreignKey, renamedColumns };
  }
}

export interface RenameFacts {
  /** Old names of the renamed columns of this table. */
  readonly renamed: ReadonlySet<string>;
  /** Columns of this table dropped outright. */
  readonly dropped: ReadonlySet<string>;
  /** `qualifiedKey`s of the tables this plan drops. */
  readonly droppedTables: ReadonlySet<string>;
}

/** The rename's share of a Drop change, or null when the change stays a Drop of this plan. */
export function retiredBy(table: Table, drop: DroppedObject, facts: RenameFacts): RetiredObject | null {
  const columns = involvedColumns(table, drop);
  const renamedColumns = columns.filter((c) => facts.renamed.has(c));
  if (renamedColumns.length === 0 || columns.some((c) => facts.dropped.has(c))) return null;
  if (drop.kind === 'DropForeignKey' && facts.droppedTables.has(qualifiedKey(drop.foreignKey.referencedTable))) return null;
  return retired(drop, renamedColumns);
}
