/**
 * A typed change between two schema models. Every change carries what its inverse needs (the `from`
 * side), so that `invertChange` is pure and a down migration restores the previous schema exactly.
 */
import type {
  CheckConstraint,
  Column,
  EnumType,
  ForeignKey,
  Index,
  PrimaryKey,
  QualifiedName,
  Table,
  UniqueConstraint,
} from '../model/schema';
import { invertObjectChange, isObjectChange, type ObjectChange } from './object-change';

export type Change =
  | { readonly kind: 'CreateSchema'; readonly schema: string }
  | { readonly kind: 'DropSchema'; readonly schema: string }
  | { readonly kind: 'CreateExtension'; readonly extension: string }
  | { readonly kind: 'DropExtension'; readonly extension: string }
  | { readonly kind: 'CreateEnum'; readonly enumType: EnumType }
  | { readonly kind: 'DropEnum'; readonly enumType: EnumType }
  /**
   * A label added; `enumType` is the type *after* the addition, `before`/`after` name the neighbour the
   * label is placed next to. `usages` are the columns of that type (a down must rebuild the type).
   */
  | { readonly kind: 'AddEnumValue'; readonly enumType: EnumType; readonly value: string; readonly before: string | null; readonly after: string | null; readonly usages: readonly EnumUsage[] }
  /** Labels removed or reordered: only a rebuild of the type (and of the columns using it) can do it. */
  | { readonly kind: 'RebuildEnum'; readonly from: EnumType; readonly to: EnumType; readonly usages: readonly EnumUsage[] }
  /** `table` names it, as in every kind; `definition` is all of it (without foreign keys: own changes). */
  | { readonly kind: 'CreateTable'; readonly table: QualifiedName; readonly definition: Table }
  | { readonly kind: 'DropTable'; readonly table: QualifiedName; readonly definition: Table }
  | { readonly kind: 'RenameTable'; readonly from: Table; readonly to: Table }
  | { readonly kind: 'AddColumn'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'DropColumn'; readonly table: QualifiedName; readonly column: Column }
  /**
   * A column renamed by decision (`--rename`): `from` is the column as it is, `to` as the entity wants
   * it (type, NOT NULL, default and all). The rename is an expand/contract, so the indexes and constraints
   * on the old column stay until its contract drops the column: they are `retires`, not Drop changes.
   * Those the entity puts on the new name arrive as their own changes.
   */
  | { readonly kind: 'RenameColumn'; readonly table: QualifiedName; readonly from: Column; readonly to: Column; readonly retires: readonly RetiredObject[] }
  | { readonly kind: 'AlterColumnType'; readonly table: QualifiedName; readonly from: Column; readonly to: Column }
  | { readonly kind: 'SetNotNull'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'DropNotNull'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'SetDefault'; readonly table: QualifiedName; readonly columnName: string; readonly from: string | null; readonly to: string | null }
  /** Identity or serial-ness changed. */
  | { readonly kind: 'AlterColumnIdentity'; readonly table: QualifiedName; readonly from: Column; readonly to: Column }
  | { readonly kind: 'SetColumnComment'; readonly table: QualifiedName; readonly columnName: string; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'SetTableComment'; readonly table: QualifiedName; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'AddPrimaryKey'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'DropPrimaryKey'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'AddUnique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'DropUnique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'AddForeignKey'; readonly table: QualifiedName; readonly foreignKey: ForeignKey }
  | { readonly kind: 'DropForeignKey'; readonly table: QualifiedName; readonly foreignKey: ForeignKey }
  | { readonly kind: 'AddCheck'; readonly table: QualifiedName; readonly check: CheckConstraint }
  | { readonly kind: 'DropCheck'; readonly table: QualifiedName; readonly check: CheckConstraint }
  | { readonly kind: 'CreateIndex'; readonly table: QualifiedName; readonly index: Index }
  | { readonly kind: 'DropIndex'; readonly table: QualifiedName; readonly index: Index }
  /** Exclusions, generation expressions and views: ./object-change.ts. */
  | Exclude<ObjectChange, { kind: 'CreateView' | 'DropView' }>
  | (Extract<ObjectChange, { kind: 'CreateView' }> & Beneath)
  | (Extract<ObjectChange, { kind: 'DropView' }> & Beneath);

/**
 * A view's drop or create, with the table changes beneath what it reads (src/diff/view-diff.ts): the
 * planner decides from them when the view must be out of the way and when it can come back.
 */
export interface Beneath {
  readonly around?: readonly Change[];
}

/**
 * An index or constraint on a renamed column's old name, which the rename's contract drops with it.
 * `renamedColumns` are the old names of every renamed column it involves, in the table's column order:
 * when there are several, no single contract can restore it, and the first one's rename owns it.
 */
export type RetiredObject = (
  | { readonly kind: 'index'; readonly index: Index }
  | { readonly kind: 'unique'; readonly unique: UniqueConstraint }
  | { readonly kind: 'check'; readonly check: CheckConstraint }
  | { readonly kind: 'foreignKey'; readonly foreignKey: ForeignKey }
) & { readonly renamedColumns: readonly string[] };

/** A column whose type is (an array of) an enum, with what a type rebuild must restore. */
export interface EnumUsage {
  readonly table: QualifiedName;
  readonly column: Column;
}

export type ChangeKind = Change['kind'];

/** Every kind once (the Record makes the compiler check that none is missing). */
const KINDS: Record<ChangeKind, true> = {
  CreateSchema: true, DropSchema: true, CreateExtension: true, DropExtension: true, CreateEnum: true, DropEnum: true,
  AddEnumValue: true, RebuildEnum: true, CreateTable: true, DropTable: true, RenameTable: true, AddColumn: true,
  DropColumn: true, RenameColumn: true, AlterColumnType: true, SetNotNull: true, DropNotNull: true, SetDefault: true,
  AlterColumnIdentity: true, SetColumnComment: true, SetTableComment: true, AddPrimaryKey: true, DropPrimaryKey: true,
  AddUnique: true, DropUnique: true, AddForeignKey: true, DropForeignKey: true, AddCheck: true, DropCheck: true,
  CreateIndex: true, DropIndex: true,
  AddExclusion: true, DropExclusion: true, AlterColumnGenerated: true, CreateView: true, DropView: true, ReplaceView: true,
};
export const CHANGE_KINDS = Object.keys(KINDS) as ChangeKind[];

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** The change that undoes `change`. */
export function invertChange(change: Change): Change {
  if (isObjectChange(change)) return invertObjectChange(change);
  switch (change.kind) {
    case 'CreateSchema': return { kind: 'DropSchema', schema: change.schema };
    case 'DropSchema': return { kind: 'CreateSchema', schema: change.schema };
    case 'CreateExtension': return { kind: 'DropExtension', extension: change.extension };
    case 'DropExtension': return { kind: 'CreateExtension', extension: change.extension };
    case 'CreateEnum': return { kind: 'DropEnum', enumType: change.enumType };
    case 'DropEnum': return { kind: 'CreateEnum', enumType: change.enumType };
    case 'AddEnumValue': {
      const values = change.enumType.values.filter((v) => v !== change.value);
      return { kind: 'RebuildEnum', from: change.enumType, to: { ...change.enumType, values }, usages: change.usages };
    }
    case 'RebuildEnum': return { kind: 'RebuildEnum', from: change.to, to: change.from, usages: change.usages };
    case 'CreateTable': return { ...change, kind: 'DropTable' };
    case 'DropTable': return { ...change, kind: 'CreateTable' };
    case 'RenameTable': return { kind: 'RenameTable', from: change.to, to: change.from };
    case 'AddColumn': return { kind: 'DropColumn', table: change.table, column: change.column };
    case 'DropColumn': return { kind: 'AddColumn', table: change.table, column: change.column };
    case 'RenameColumn': return { ...change, from: change.to, to: change.from };
    case 'AlterColumnType': return { kind: 'AlterColumnType', table: change.table, from: change.to, to: change.from };
    case 'SetNotNull': return { kind: 'DropNotNull', table: change.table, column: change.column };
    case 'DropNotNull': return { kind: 'SetNotNull', table: change.table, column: change.column };
    case 'SetDefault': return { ...change, from: change.to, to: change.from };
    case 'AlterColumnIdentity': return { ...change, from: change.to, to: change.from };
    case 'SetColumnComment': return { ...change, from: change.to, to: change.from };
    case 'SetTableComment': return { ...change, from: change.to, to: change.from };
    case 'AddPrimaryKey': return { kind: 'DropPrimaryKey', table: change.table, primaryKey: change.primaryKey };
    case 'DropPrimaryKey': return { kind: 'AddPrimaryKey', table: change.table, primaryKey: change.primaryKey };
    case 'AddUnique': return { kind: 'DropUnique', table: change.table, unique: change.unique };
    case 'DropUnique': return { kind: 'AddUnique', table: change.table, unique: change.unique };
    case 'AddForeignKey': return { kind: 'DropForeignKey', table: change.table, foreignKey: change.foreignKey };
    case 'DropForeignKey': return { kind: 'AddForeignKey', table: change.table, foreignKey: change.foreignKey };
    case 'AddCheck': return { kind: 'DropCheck', table: change.table, check: change.check };
    case 'DropCheck': return { kind: 'AddCheck', table: change.table, check: change.check };
    case 'CreateIndex': return { kind: 'DropIndex', table: change.table, index: change.index };
    case 'DropIndex': return { kind: 'CreateIndex', table: change.table, index: change.index };
    default: return assertNever(change);
  }
}
