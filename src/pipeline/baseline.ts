/**
 * `pgshift baseline`: the one migration pair that creates, from nothing, what the entities describe *as
 * the database has it*. It is the database's own catalog restricted to the tables, enums and schemas the
 * entities name, planned from an empty model by the ordinary planner — so a shadow that replays it reads
 * exactly like the database did, and `check` agrees on both (0 when the database matches the entities,
 * the same differences on both otherwise). Pure: no I/O.
 */
import { diffModels, type Unmanaged } from '../diff/diff';
import { emptyModel, qualifiedKey, type QualifiedName, type SchemaModel, type Table } from '../model/schema';
import { NO_DECISIONS } from '../planner/decisions';
import { planChanges } from '../planner/plan';
import type { Step } from '../planner/step';
import type { Statement } from '../sql/statement';

export type LeftOut =
  | Unmanaged
  | { readonly kind: 'extension'; readonly name: string }
  | { readonly kind: 'foreign key'; readonly table: QualifiedName; readonly name: string; readonly references: QualifiedName };

export interface BaselineModel {
  /** What the baseline creates. */
  readonly model: SchemaModel;
  /** What the database has that the baseline leaves out (it stays in the database, untouched). */
  readonly leftOut: readonly LeftOut[];
}

/** The database's catalog, kept to what the entities describe. */
export function restrictToEntities(current: SchemaModel, desired: SchemaModel): BaselineModel {
  const leftOut: LeftOut[] = [];
  const wanted = new Set(desired.tables.map(qualifiedKey));
  const kept = current.tables.filter((t) => wanted.has(qualifiedKey(t)));
  const keptKeys = new Set(kept.map(qualifiedKey));
  for (const table of current.tables) if (!keptKeys.has(qualifiedKey(table))) leftOut.push({ kind: 'table', name: { schema: table.schema, name: table.name } });

  // A kept table's foreign key to a table the baseline does not create could not be replayed.
  const tables: Table[] = kept.map((table) => {
    const foreignKeys = table.foreignKeys.filter((fk) => {
      if (keptKeys.has(qualifiedKey(fk.referencedTable))) return true;
      leftOut.push({ kind: 'foreign key', table: { schema: table.schema, name: table.name }, name: fk.name, references: fk.referencedTable });
      return false;
    });
    return { ...table, foreignKeys };
  });

  const usedEnums = new Set(tables.flatMap((t) => t.columns.flatMap((c) => (c.enumType ? [qualifiedKey(c.enumType)] : []))));
  const wantedEnums = new Set(desired.enums.map(qualifiedKey));
  const enums = current.enums.filter((e) => {
    const keep = wantedEnums.has(qualifiedKey(e)) || usedEnums.has(qualifiedKey(e));
    if (!keep) leftOut.push({ kind: 'enum', name: { schema: e.schema, name: e.name } });
    return keep;
  });

  // Views the entities describe, as the database has them (a view over a table left out could not be replayed).
  const wantedViews = new Set((desired.views ?? []).map(qualifiedKey));
  const relations = new Set([...keptKeys, ...(current.views ?? []).filter((v) => wantedViews.has(qualifiedKey(v))).map(qualifiedKey)]);
  const views = (current.views ?? []).filter((v) => {
    const keep = wantedViews.has(qualifiedKey(v)) && v.reads.every((r) => relations.has(qualifiedKey(r)));
    if (!keep) leftOut.push({ kind: 'view', name: { schema: v.schema, name: v.name } });
    return keep;
  });

  const usedSchemas = new Set([...tables.map((t) => t.schema), ...enums.map((e) => e.schema), ...views.map((v) => v.schema)]);
  const schemas = current.schemas.filter((s) => {
    const keep = desired.schemas.includes(s) || usedSchemas.has(s);
    if (!keep) leftOut.push({ kind: 'schema', name: s });
    return keep;
  });
  const extensions = current.extensions.filter((x) => {
    const keep = desired.extensions.includes(x);
    if (!keep) leftOut.push({ kind: 'extension', name: x });
    return keep;
  });
  return { model: { schemas, extensions, enums, tables, ...(views.length > 0 ? { views } : {}) }, leftOut };
}

/**
 * The planner's steps for "nothing → model", folded into one transactional step. `targetMajor`: the file is
 * never run on the adopted database, but it is replayed by shadows and new environments of that major.
 */
export function baselineStep(model: SchemaModel, targetMajor: number): Step {
  const { changes } = diffModels(emptyModel(), model);
  const plan = planChanges(changes, { from: emptyModel(), to: model, decisions: NO_DECISIONS, targetMajor, rowEstimates: new Map() });
  const lone = plan.steps.find((s) => !s.transactional);
  if (plan.needs.length > 0 || lone) {
    // Everything is created on new tables, so the planner never needs a decision or a lone statement here.
    throw new Error(`baseline: unexpected ${lone ? `non-transactional step ${lone.slug}` : plan.needs[0]!.reason}`);
  }
  const up: Statement[] = plan.steps.flatMap((s) => s.up);
  const down: Statement[] = [...plan.steps].reverse().flatMap((s) => s.down);
  const tables = model.tables.length;
  return {
    slug: 'baseline',
    phase: 'direct',
    content: 'schema',
    transactional: true,
    summary: `baseline: ${tables} table${tables === 1 ? '' : 's'}, ${model.enums.length} enum${model.enums.length === 1 ? '' : 's'} as the database had them when it was adopted (recorded as applied, never run there)`,
    why: 'this file was recorded as already applied on the adopted database; it runs only where the schema does not exist yet (a shadow, a fresh environment)',
    up,
    down,
    downNote: 'this drops every table the baseline creates, with its rows. On the adopted database that is all of its data.',
  };
}
