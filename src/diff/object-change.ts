/**
 * The changes of the objects that entities give as SQL of their own: EXCLUDE constraints, generation
 * expressions, views. Kept apart from ./change.ts (which includes them in `Change`) so that each concept's
 * cases live together; like every change, each carries what its inverse needs.
 */
import type { Column, ExclusionConstraint, QualifiedName, View } from '../model/schema';

/**
 * Why a view is dropped:
 *  - `gone`: no entity describes it any more (a real drop: destructive, only with the flag);
 *  - `redefined`: its definition changed in a way CREATE OR REPLACE cannot take (or it is materialized),
 *    or it reads a view that is redefined: dropped and created again right away, in one transaction;
 *  - `dependency`: it reads a column or table that the plan changes in a way Postgres refuses under a
 *    view (type, drop, rename, generation): dropped before that change and created again after it.
 */
export type ViewDropReason = 'gone' | 'redefined' | 'dependency';

export type ObjectChange =
  | { readonly kind: 'AddExclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  | { readonly kind: 'DropExclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  /** The generation expression added, changed or removed; `from`/`to` are the whole column. */
  | { readonly kind: 'AlterColumnGenerated'; readonly table: QualifiedName; readonly from: Column; readonly to: Column }
  /** With `around` (./change.ts): the table changes beneath what the view reads. */
  | { readonly kind: 'CreateView'; readonly view: View }
  /** With `around` (./change.ts): for a `dependency` (or `gone`) drop, the table changes beneath what the view reads. */
  | { readonly kind: 'DropView'; readonly view: View; readonly reason: ViewDropReason }
  /** CREATE OR REPLACE VIEW: a plain view whose old columns lead the new ones unchanged. */
  | { readonly kind: 'ReplaceView'; readonly from: View; readonly to: View };

export type ObjectChangeKind = ObjectChange['kind'];

const KINDS: ReadonlySet<string> = new Set<ObjectChangeKind>(['AddExclusion', 'DropExclusion', 'AlterColumnGenerated', 'CreateView', 'DropView', 'ReplaceView']);

export function isObjectChange(change: { readonly kind: string }): change is ObjectChange {
  return KINDS.has(change.kind);
}

export function invertObjectChange(change: ObjectChange): ObjectChange {
  switch (change.kind) {
    case 'AddExclusion': return { kind: 'DropExclusion', table: change.table, exclusion: change.exclusion };
    case 'DropExclusion': return { kind: 'AddExclusion', table: change.table, exclusion: change.exclusion };
    case 'AlterColumnGenerated': return { ...change, from: change.to, to: change.from };
    case 'CreateView': return { kind: 'DropView', view: change.view, reason: 'gone' };
    case 'DropView': return { kind: 'CreateView', view: change.view };
    case 'ReplaceView': return { kind: 'ReplaceView', from: change.to, to: change.from };
  }
}
