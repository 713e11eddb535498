/**
 * Every `--rename` and `--backfill` must match a change the plan needs. One that matches nothing — a
 * typo (`users.nosuch=…`), a column that is nullable anyway, a table created by this very plan, a
 * rename whose new name the entities do not have — would otherwise be ignored without a word while the
 * user believes it applied. Each is an error naming the flag, why it matches nothing, and the closest
 * names it could have meant.
 */
import type { Change } from '../diff/change';
import type { ColumnRename, TableRename } from '../diff/diff';
import { PgshiftError } from '../errors';
import type { QualifiedName, SchemaModel, Table } from '../model/schema';
import type { Decisions } from '../planner/decisions';
import { displayName } from '../model/schema';
import type { Plan } from '../planner/plan';
import { meantHint } from './closest-names';
import { resolveRenames } from './renames';
import { shownValue } from './shown-value';

export interface DecisionMatchInput {
  readonly current: SchemaModel;
  readonly desired: SchemaModel;
  /** The diff, table renames applied. */
  readonly changes: readonly Change[];
  readonly renameSpecs: readonly string[];
  readonly decisions: Decisions;
  readonly plan: Plan;
}

const find = (model: SchemaModel, name: QualifiedName): Table | undefined =>
  model.tables.find((t) => t.schema === name.schema && t.name === name.name);

const sameTable = (a: QualifiedName, b: QualifiedName) => a.schema === b.schema && a.name === b.name;

function usage(flag: string, why: string, hint: string): PgshiftError {
  return new PgshiftError('USAGE', `${flag}: ${why}`, { hint });
}

function checkTableRename(spec: string, rename: TableRename, input: DecisionMatchInput): void {
  const flag = `--rename ${shownValue(spec)}`;
  const from = displayName(rename.from);
  const newTables = input.desired.tables.filter((t) => !find(input.current, t));
  const candidates = newTables.filter((t) => t.schema === rename.from.schema).map((t) => t.name);
  if (find(input.current, rename.to)) {
    throw usage(flag, `the database already has a table ${displayName(rename.to)}`, 'rename to a name that is free, or drop the flag');
  }
  if (!find(input.desired, rename.to)) {
    throw usage(flag, `the entities have no table ${displayName(rename.to)}, so nothing is renamed to it`,
      meantHint(rename.to.name, candidates, (t) => `--rename ${from}=${t}`, 'tables the entities add'));
  }
  if (find(input.desired, rename.from)) {
    throw usage(flag, `${from} is still in the entities, so nothing is renamed`, `remove the flag, or rename the entity's table (@Entity('${rename.to.name}')) first`);
  }
  const renamed = input.changes.some((c) => c.kind === 'RenameTable' && sameTable(c.from, rename.from) && c.to.name === rename.to.name);
  if (!renamed) throw usage(flag, `no change in this plan renames ${from}`, 'remove the flag');
}

function checkColumnRename(spec: string, rename: ColumnRename, input: DecisionMatchInput): void {
  const flag = `--rename ${shownValue(spec)}`;
  const tableRename = input.decisions.tableRenames.find((r) => sameTable(r.from, rename.table));
  const target = find(input.desired, tableRename ? tableRename.to : rename.table);
  const where = displayName(rename.table);
  if (!target) throw usage(flag, `the entities have no table ${where}`, 'rename columns of a table the entities keep');
  const current = find(input.current, rename.table)!;
  if (current.columns.some((c) => c.name === rename.to)) {
    throw usage(flag, `${where}.${rename.to} is already in the database`, 'rename to a column name that is free, or drop the flag');
  }
  if (!target.columns.some((c) => c.name === rename.to)) {
    const added = target.columns.filter((c) => !current.columns.some((k) => k.name === c.name)).map((c) => c.name);
    throw usage(flag, `the entities have no column ${where}.${rename.to}, so nothing is renamed to it`,
      meantHint(rename.to, added, (c) => `--rename ${where}.${rename.from}=${c}`, `columns the entities add to ${where}`));
  }
  if (target.columns.some((c) => c.name === rename.from)) {
    throw usage(flag, `${where}.${rename.from} is still in the entities, so nothing is renamed`, "remove the flag, or change the entity column's name first");
  }
  const renamed = input.changes.some((c) => c.kind === 'RenameColumn' && sameTable(c.table, target) && c.from.name === rename.from && c.to.name === rename.to);
  if (!renamed) throw usage(flag, `no change in this plan renames ${where}.${rename.from}`, 'remove the flag');
}

/** Why no change takes a value for this column (it is not among the plan's backfill targets). */
function whyNoBackfill(table: QualifiedName, column: string, input: DecisionMatchInput): string {
  const where = `${displayName(table)}.${column}`;
  const wanted = find(input.desired, table);
  if (!wanted) return `the entities have no table ${displayName(table)}`;
  const wantedColumn = wanted.columns.find((c) => c.name === column);
  if (!wantedColumn) return `the entities have no column ${where}`;
  const currentTable = find(input.current, table);
  if (!currentTable) return `${displayName(table)} is created by this plan: it has no rows to fill`;
  if (wantedColumn.nullable) return `${where} is nullable in the entities: no row needs a value`;
  const currentColumn = currentTable.columns.find((c) => c.name === column);
  if (currentColumn && !currentColumn.nullable) return `${where} is already NOT NULL in the database: no row needs a value`;
  if (!currentColumn && wantedColumn.default !== null) return `${where} has a default (${shownValue(wantedColumn.default)}), which fills the existing rows`;
  if (input.decisions.columnRenames.some((r) => sameTable(r.table, table) && r.to === column)) return `${where} is filled from the column it is renamed from`;
  return `no change in this plan takes a value for ${where}`;
}

function keyParts(key: string): { table: QualifiedName; column: string } {
  const [schema, table, ...rest] = key.split('.');
  return { table: { schema: schema!, name: table! }, column: rest.join('.') };
}

const shownKey = (key: string) => {
  const { table, column } = keyParts(key);
  return `${displayName(table)}.${column}`;
};

function checkBackfill(key: string, value: string, input: DecisionMatchInput): void {
  if (input.plan.backfillTargets.includes(key)) return;
  const { table, column } = keyParts(key);
  const targets = input.plan.backfillTargets.map(shownKey);
  const hint = targets.length === 0
    ? 'no column in this plan takes a --backfill value: remove the flag'
    : meantHint(shownKey(key), targets, (t) => `--backfill ${t}=${shownValue(value)}`, 'columns that take a --backfill value in this plan');
  throw usage(`--backfill ${shownKey(key)}=${shownValue(value)}`, `matches no change: ${whyNoBackfill(table, column, input)}`, hint);
}

export function assertDecisionsMatch(input: DecisionMatchInput): void {
  for (const spec of input.renameSpecs) {
    const resolved = resolveRenames([spec], input.current);
    for (const rename of resolved.tableRenames) checkTableRename(spec, rename, input);
    for (const rename of resolved.columnRenames) checkColumnRename(spec, rename, input);
  }
  for (const [key, value] of input.decisions.backfills) checkBackfill(key, value, input);
}
