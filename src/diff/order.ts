/**
 * A dependency-safe order: things others depend on are created first and dropped last; constraints are
 * dropped before the columns and tables under them, and foreign keys are added after every table and
 * key they point at exists. The sort is stable, so the diff's own order holds within a rank.
 */
import type { Change, ChangeKind } from './change';

const RANK: Record<ChangeKind, number> = {
  CreateSchema: 0,
  CreateExtension: 1,
  CreateEnum: 2,
  AddEnumValue: 3,
  // Views go before anything they read changes, and come back after all of it (src/diff/view-diff.ts).
  DropView: 9,
  DropForeignKey: 10,
  DropExclusion: 11,
  DropIndex: 11,
  DropUnique: 11,
  DropCheck: 11,
  DropPrimaryKey: 12,
  DropColumn: 13,
  DropTable: 14,
  RebuildEnum: 15,
  DropEnum: 16,
  RenameTable: 20,
  CreateTable: 30,
  AddColumn: 31,
  // A column rename is an expand (the new column added beside the old one): it goes where an add goes.
  RenameColumn: 31,
  AlterColumnType: 32,
  AlterColumnIdentity: 33,
  AlterColumnGenerated: 33,
  SetDefault: 34,
  DropNotNull: 35,
  SetNotNull: 36,
  SetColumnComment: 37,
  SetTableComment: 37,
  AddPrimaryKey: 40,
  AddUnique: 41,
  CreateIndex: 42,
  AddCheck: 43,
  AddExclusion: 44,
  AddForeignKey: 50,
  CreateView: 55,
  ReplaceView: 55,
  DropExtension: 60,
  DropSchema: 61,
};

export function orderChanges(changes: readonly Change[]): Change[] {
  return changes
    .map((change, position) => ({ change, position }))
    .sort((a, b) => RANK[a.change.kind] - RANK[b.change.kind] || a.position - b.position)
    .map(({ change }) => change);
}
