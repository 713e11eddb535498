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

/**
 * The table changes that alter beneath a view what it reads, by column (and by whole table, as
 * `schema.table.*`): a type or generation, a dropped or renamed column, a dropped or renamed table.
 */
function touchedByTableChanges(changes: readonly Change[]): Map<string, Change[]> {
  const touched = new Map<string, Change[]>();
  const add = (key: string, change: Change) => touched.set(key, [...(touched.get(key) ?? []), change]);
  for (const change of changes) {
    switch (change.kind) {
      case 'AlterColumnType':
      case 'AlterColumnGenerated':
      case 'RenameColumn': add(columnKey(change.table, change.from.name), change); break;
      case 'DropColumn': add(columnKey(change.table, change.column.name), change); break;
      case 'DropTable': add(columnKey(change.table, '*'), change); break;
      case 'RenameTable': add(columnKey(change.from, '*'), change); break;
      default: break;
    }
  }
  return touched;
}

/** The table changes beneath what `view` reads (each once), in the diff's order. */
export function changesBeneath(view: View, touched: ReadonlyMap<string, readonly Change[]>): Change[] {
  const keys = view.reads.flatMap((read) => [columnKey(read, '*'), ...read.columns.map((c) => columnKey(read, c))]);
  return [...new Set(keys.flatMap((key) => touched.get(key) ?? []))];
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
  /**
   * Views pgshift keeps itself for a pending contract (rename-table's compatibility views): no entity
   * describes them, yet they are neither unmanaged nor dropped as such; the contract drops them.
   */
  readonly ownViews?: readonly QualifiedName[];
}

function union(a: readonly Change[] | undefined, b: readonly Change[] | undefined): Change[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

function withAround<C extends Change>(change: C, around: readonly Change[]): C {
  return around.length > 0 ? { ...change, around } : change;
}

export function viewChanges(
  from: SchemaModel, to: SchemaModel, tableChanges: readonly Change[], options: ViewDiffOptions, unmanaged: UnmanagedView[],
): Change[] {
  const fromViews = from.views ?? [];
  const toByKey = new Map((to.views ?? []).map((v) => [qualifiedKey(v), v]));
  const fromByKey = new Map(fromViews.map((v) => [qualifiedKey(v), v]));
  const own = new Set((options.ownViews ?? []).map(qualifiedKey));
  const touched = touchedByTableChanges(tableChanges);
  const drops = new Map<string, ViewDropReason>();
  // The table changes each dropped view must be out of the way of (and its readers, through it).
  const around = new Map<string, Change[]>();
  const creates: View[] = [];
  const replaces: Change[] = [];
  const indexes: Change[] = [];
  const dropFor = (view: View, reason: ViewDropReason, beneath: readonly Change[]) => {
    drops.set(qualifiedKey(view), reason);
    if (beneath.length > 0) around.set(qualifiedKey(view), union(around.get(qualifiedKey(view)), beneath));
  };

  for (const target of to.views ?? []) {
    const current = fromByKey.get(qualifiedKey(target));
    const beneath = current ? changesBeneath(current, touched) : [];
    if (!current) creates.push(target);
    else if (current.materialized !== target.materialized || current.definition !== target.definition) {
      if (canReplaceView(current, target) && beneath.length === 0) replaces.push({ kind: 'ReplaceView', from: current, to: target });
      else dropFor(current, beneath.length > 0 ? 'dependency' : 'redefined', beneath);
    } else if (beneath.length > 0) {
      dropFor(current, 'dependency', beneath);
    } else {
      indexes.push(...indexChanges(current, target));
    }
  }
  for (const current of fromViews) {
    if (toByKey.has(qualifiedKey(current))) continue;
    const beneath = changesBeneath(current, touched);
    if (options.dropUnmanaged && !own.has(qualifiedKey(current))) {
      dropFor(current, 'gone', beneath);
      continue;
    }
    if (!own.has(qualifiedKey(current))) unmanaged.push({ kind: 'view', name: { schema: current.schema, name: current.name } });
    // Still in the way of a change beneath it: dropped and created again from the catalog's definition
    // (the planner asks first: src/planner/rules/drop-view.ts).
    if (beneath.length > 0) dropFor(current, 'dependency', beneath);
  }
  // A view that reads a dropped view goes with it, and with the earliest reason (a `dependency` drop
  // happens before the table changes, so what reads it must be gone by then too).
  for (let grew = true; grew;) {
    grew = false;
    for (const view of fromViews) {
      const dropped = view.reads.filter((read) => drops.has(qualifiedKey(read)));
      if (dropped.length === 0) continue;
      const reasons = dropped.map((read) => drops.get(qualifiedKey(read))!);
      const reason: ViewDropReason = reasons.includes('dependency') ? 'dependency' : 'redefined';
      const key = qualifiedKey(view);
      const beneath = union(around.get(key), dropped.flatMap((read) => around.get(qualifiedKey(read)) ?? []));
      const mine = drops.get(key);
      const grows = beneath.length > (around.get(key)?.length ?? 0);
      if (!grows && (mine === reason || mine === 'dependency' || mine === 'gone')) continue;
      dropFor(view, mine === 'dependency' || mine === 'gone' ? mine : reason, beneath);
      grew = true;
    }
  }

  const changes: Change[] = [];
  // Dependents first: the reverse of the order in which they could be created.
  for (const view of creationOrder(fromViews).reverse()) {
    const reason = drops.get(qualifiedKey(view));
    if (reason) changes.push(withAround({ kind: 'DropView', view, reason }, around.get(qualifiedKey(view)) ?? []));
  }
  changes.push(...indexes);
  // A view no entity describes that is dropped in the way of a change comes back as the catalog has it.
  const kept = [...drops.entries()].filter(([key, reason]) => reason !== 'gone' && !toByKey.has(key)).map(([key]) => fromByKey.get(key)!);
  const later = new Set([...creates.map(qualifiedKey), ...[...drops.entries()].filter(([, r]) => r !== 'gone').map(([key]) => key)]);
  for (const view of creationOrder([...toByKey.values(), ...kept])) {
    // What the view will read, beneath it too: the planner refuses a view over what the plan removes.
    const beneath = union(around.get(qualifiedKey(view)), changesBeneath(view, touched));
    if (later.has(qualifiedKey(view))) changes.push(withAround({ kind: 'CreateView', view }, beneath));
    const replace = replaces.find((r) => r.kind === 'ReplaceView' && qualifiedKey(r.to) === qualifiedKey(view));
    if (replace) changes.push(replace);
  }
  return changes;
}
