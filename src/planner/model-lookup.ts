/**
 * Finding a change's table on either side of the plan. Table-level changes name the table as the
 * entities want it (after a table rename), so the `from` side is found through the rename decisions.
 */
import type { QualifiedName, SchemaModel, Table } from '../model/schema';
import { relationNamed, tableNamed } from '../model/table-index';
import type { PlanContext } from './rule';

export function findTable(model: SchemaModel, name: QualifiedName): Table | undefined {
  return tableNamed(model.tables, name);
}

/** The table as the entities want it. */
export function targetTable(ctx: PlanContext, name: QualifiedName): Table | undefined {
  return findTable(ctx.to, name);
}

/** The table as it is now (under its old name if this plan renames it). */
export function currentTable(ctx: PlanContext, name: QualifiedName): Table | undefined {
  const renamed = ctx.decisions.tableRenames.find((r) => r.to.schema === name.schema && r.to.name === name.name);
  return findTable(ctx.from, renamed ? renamed.from : name) ?? findTable(ctx.from, name);
}

/**
 * Whether `name` is already taken by a relation (table, index, or the index of a PK/UNIQUE constraint)
 * in `schema` on the current side: index and table names share one namespace per schema.
 */
export function relationNameTaken(ctx: PlanContext, schema: string, name: string): boolean {
  return relationNamed(ctx.from.tables, schema, name);
}
