/**
 * Views: created after and dropped before what they read, never dropped silently.
 *
 *  - a view no entity describes is unmanaged (like a table): listed, dropped only with `dropUnmanaged`;
 *  - a changed definition is CREATE OR REPLACE where Postgres takes it (a plain view whose old columns
 *    lead the new ones, same names and types), else a drop and a create (reason `redefined`);
 *  - a view that reads a column the table changes bring under a form Postgres refuses beneath a view
 *    (type, drop, rename, generation; a dropped or renamed table) is dropped before those changes and
 *    created again after them (reason `dependency`);
 *  - either way, the views that read a dropped view go with it (dependents first), and come back after it.
 * A materialized view's indexes are diffed like a table's (CreateIndex / DropIndex on the view's name).
 */
import { qualifiedKey, type QualifiedName, type SchemaModel, type View } from '../model/schema';
import type { Change } from './change';
import { pairObjects, sameIndex } from './match';
import type { ViewDropReason } from './object-change';

export type UnmanagedView = { readonly kind: 'view'; readonly name: QualifiedName };

const columnKey = (table: QualifiedName, column: string) => `${qualifiedKey(table)}.${column}`;

/** Columns (and whole tables, as `schema.table.*`) that the table changes alter beneath a view. */
function touchedByTableChanges(changes: readonly Change[]): Set<string> {
  const touched = new Set<string>();
  for (const change of changes) {
    switch (change.kind) {
      case 'AlterColumnType':
      case 'AlterColumnGenerated': touched.add(columnKey(change.table, change.from.name)); break;
      case 'RenameColumn': touched.add(columnKey(change.table, change.from.name)); break;
      case 'DropColumn': touched.add(columnKey(change.table, change.column.name)); break;
      case 'DropTable': touched.add(columnKey(change.table, '*')); break;
      case 'RenameTable': touched.add(columnKey(change.from, '*')); break;
      default: break;
    }
  }
  return touched;
}

function readsTouched(view: View, touched: ReadonlySet<string>): boolean {
  return view.reads.some((read) => touched.has(columnKey(read, '*')) || read.columns.some((c) => touched.has(columnKey(read, c))));
}

/** CREATE OR REPLACE VIEW keeps every existing column as it is and may only add columns at the end. */
export function canReplaceView(from: View, to: View): boolean {
  if (from.materialized || to.materialized || to.columns.length === 0) return false;
  return from.columns.length <= to.columns.length
    && from.columns.every((c, i) => c.name === to.columns[i]!.name && c.dataType === to.columns[i]!.dataType);
}

/** Views in an order where every view comes after the views it reads (or says it depends on). */
export function creationOrder(views: readonly View[]): View[] {
  const byKey = new Map(views.map((v) => [qualifiedKey(v), v]));
  const done = new Set<string>();
  const out: View[] = [];
  const visit = (view: View, path: Set<string>) => {
    const key = qualifiedKey(view);
    if (done.has(key) || path.has(key)) return;
    path.add(key);
    for (const dep of [...view.reads, ...(view.dependsOn ?? [])]) {
      const target = byKey.get(qualifiedKey(dep));
      if (target) visit(target, path);
    }
    done.add(key);
    out.push(view);
  };
  for (const view of views) visit(view, new Set());
  return out;
}

/** The views that read `name`, directly or through each other, in an order they can be created in. */
export function dependentViews(views: readonly View[], name: QualifiedName): View[] {
  const found = new Set<string>([qualifiedKey(name)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const view of views) {
      if (found.has(qualifiedKey(view)) || !view.reads.some((read) => found.has(qualifiedKey(read)))) continue;
      found.add(qualifiedKey(view));
      grew = true;
    }
  }
  return creationOrder(views).filter((v) => found.has(qualifiedKey(v)) && qualifiedKey(v) !== qualifiedKey(name));
}

function indexChanges(from: View, to: View): Change[] {
  const name = { schema: to.schema, name: to.name };
  const pairing = pairObjects(from.indexes, to.indexes, sameIndex);
  const changes: Change[] = [];
  for (const [a, b] of pairing.pairs) {
    if (!sameIndex(a, b)) changes.push({ kind: 'DropIndex', table: name, index: a }, { kind: 'CreateIndex', table: name, index: b });
  }
  for (const index of pairing.onlyFrom) changes.push({ kind: 'DropIndex', table: name, index });
  for (const index of pairing.onlyTo) changes.push({ kind: 'CreateIndex', table: name, index });
  return changes;
}

export interface ViewDiffOptions {
  readonly dropUnmanaged?: boolean;
}

export function viewChanges(
  from: SchemaModel, to: SchemaModel, tableChanges: readonly Change[], options: ViewDiffOptions, unmanaged: UnmanagedView[],
): Change[] {
  const fromViews = from.views ?? [];
  const toByKey = new Map((to.views ?? []).map((v) => [qualifiedKey(v), v]));
  const fromByKey = new Map(fromViews.map((v) => [qualifiedKey(v), v]));
  const touched = touchedByTableChanges(tableChanges);
  const drops = new Map<string, ViewDropReason>();
  const creates: View[] = [];
  const replaces: Change[] = [];
  const indexes: Change[] = [];

  for (const target of to.views ?? []) {
    const current = fromByKey.get(qualifiedKey(target));
    if (!current) creates.push(target);
    else if (current.materialized !== target.materialized || current.definition !== target.definition) {
      if (canReplaceView(current, target) && !readsTouched(current, touched)) replaces.push({ kind: 'ReplaceView', from: current, to: target });
      else drops.set(qualifiedKey(current), readsTouched(current, touched) ? 'dependency' : 'redefined');
    } else if (readsTouched(current, touched)) {
      drops.set(qualifiedKey(current), 'dependency');
    } else {
      indexes.push(...indexChanges(current, target));
    }
  }
  for (const current of fromViews) {
    if (toByKey.has(qualifiedKey(current))) continue;
    if (options.dropUnmanaged) drops.set(qualifiedKey(current), 'gone');
    else unmanaged.push({ kind: 'view', name: { schema: current.schema, name: current.name } });
  }
  // A view that reads a dropped view goes with it, and with the earliest reason (a `dependency` drop
  // happens before the table changes, so what reads it must be gone by then too).
  for (let grew = true; grew;) {
    grew = false;
    for (const view of fromViews) {
      const reasons = view.reads.flatMap((read) => drops.get(qualifiedKey(read)) ?? []);
      if (reasons.length === 0) continue;
      const reason: ViewDropReason = reasons.includes('dependency') ? 'dependency' : 'redefined';
      const own = drops.get(qualifiedKey(view));
      if (own === reason || own === 'dependency' || own === 'gone') continue;
      drops.set(qualifiedKey(view), reason);
      grew = true;
    }
  }

  const changes: Change[] = [];
  // Dependents first: the reverse of the order in which they could be created.
  for (const view of creationOrder(fromViews).reverse()) {
    const reason = drops.get(qualifiedKey(view));
    if (reason) changes.push({ kind: 'DropView', view, reason });
  }
  changes.push(...indexes);
  // A view no entity describes that reads a dropped view comes back as the catalog has it.
  const kept = [...drops.entries()].filter(([key, reason]) => reason !== 'gone' && !toByKey.has(key)).map(([key]) => fromByKey.get(key)!);
  const later = new Set([...creates.map(qualifiedKey), ...[...drops.entries()].filter(([, r]) => r !== 'gone').map(([key]) => key)]);
  for (const view of creationOrder([...toByKey.values(), ...kept])) {
    if (later.has(qualifiedKey(view))) changes.push({ kind: 'CreateView', view });
    const replace = replaces.find((r) => r.kind === 'ReplaceView' && qualifiedKey(r.to) === qualifiedKey(view));
    if (replace) changes.push(replace);
  }
  return changes;
}
