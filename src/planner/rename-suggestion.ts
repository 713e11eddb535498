/**
 * "Is this a rename?" for a column: without a decision, an added column with the type of a column that
 * disappears from the same table is probably one, and dropping the old column would lose its data. The
 * question is rule rename-column's; the other AddColumn rules leave such a change to it (their `claims`
 * ask this module), so the user hears the rename question before any request for a value.
 */
import type { Change } from '../diff/change';
import { sameColumnType } from '../diff/table-diff';
import type { QualifiedName } from '../model/schema';
import type { DecisionRequest } from './decisions';
import { displayName } from '../model/schema';
import { findTable } from './model-lookup';
import { isNewTable, type PlanContext } from './rule';

export function renameFlag(table: QualifiedName, from: string, to: string): string {
  return `--rename ${displayName(table)}.${from}=${to}`;
}

/** The rename question for this added column, or null when it is not one to ask. */
export function columnRenameSuggestion(change: Extract<Change, { kind: 'AddColumn' }>, ctx: PlanContext): DecisionRequest | null {
  if (ctx.decisions.allowDestructive || isNewTable(ctx, change.table)) return null;
  const current = findTable(ctx.from, change.table);
  const wanted = findTable(ctx.to, change.table);
  if (!current || !wanted) return null;
  const renamedAway = (column: string) => ctx.decisions.columnRenames.some((r) => r.table.schema === change.table.schema && r.table.name === change.table.name && r.from === column);
  const gone = current.columns.filter((c) => !wanted.columns.some((w) => w.name === c.name) && !renamedAway(c.name));
  const candidate = gone.find((c) => sameColumnType(c, change.column));
  if (!candidate) return null;
  return {
    rule: 'rename-column',
    reason: `${displayName(change.table)} loses column ${candidate.name} and gains ${change.column.name} of the same type: if this is a rename, dropping ${candidate.name} would lose its data and break every running client that reads it.`,
    flag: `${renameFlag(change.table, candidate.name, change.column.name)}  (or --allow-destructive to really drop ${candidate.name})`,
    renameSpec: `${displayName(change.table)}.${candidate.name}=${change.column.name}`,
  };
}
