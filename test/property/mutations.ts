/**
 * Mutations: a second spec derived from a first, the way entities evolve between two releases (tables
 * and columns added and dropped, varchar/numeric widened, integer → bigint, nullability and defaults
 * changed, indexes, uniques, checks and foreign keys added and dropped, enum labels added, comments).
 *
 * Like the schema arbitraries, a mutation is a list of choices interpreted against the spec; a choice
 * that does not apply (no such column, nothing to widen) does nothing. Names of new tables and columns
 * are never names the first spec had, so "dropped and re-added with another type" cannot turn into an
 * impossible type change.
 */
import fc from 'fast-check';
import type { Deferrable, ReferentialAction } from '../../src/model/schema';
import { COLUMN_NAMES, COMMENTS, LABELS, SECOND_SCHEMAS, TABLE_NAMES, columnChoice, deferrableChoice, onDeleteChoice, columnFromChoice, enumChoice, enumFromChoice, foreignKeyColumn, indexChoice, tableChoice, tableFromChoice, type ColumnChoice, type EnumChoice, type IndexChoice, type TableChoice } from './arbitraries';
import { canBeUnique, checkExpression, VARCHAR_LENGTHS } from './column-kinds';
import { keepPopulatedRowsValid } from './populated-validity';
import { sanitize } from './sanitize';
import { findTable, pkKindType, sameQualified, type ColumnSpec, type SchemaSpec, type TableSpec } from './spec';

export type MutationChoice =
  | { readonly op: 'addTable'; readonly table: TableChoice }
  | { readonly op: 'dropTable'; readonly table: number }
  | { readonly op: 'addColumn'; readonly table: number; readonly column: ColumnChoice }
  | { readonly op: 'addForeignKeyColumn'; readonly table: number; readonly target: number; readonly nullable: boolean; readonly onDelete: ReferentialAction }
  | { readonly op: 'dropColumn'; readonly table: number; readonly column: number }
  | { readonly op: 'renameColumn'; readonly table: number; readonly column: number; readonly name: number }
  | { readonly op: 'widen'; readonly table: number; readonly column: number }
  | { readonly op: 'toggleNullable'; readonly table: number; readonly column: number }
  | { readonly op: 'changeDefault'; readonly table: number; readonly column: number; readonly defaultIndex: number | null }
  | { readonly op: 'addIndex'; readonly table: number; readonly index: IndexChoice }
  | { readonly op: 'dropIndex'; readonly table: number; readonly index: number }
  | { readonly op: 'addUnique'; readonly table: number; readonly column: number; readonly deferrable: Deferrable }
  | { readonly op: 'redefineUnique'; readonly table: number; readonly unique: number; readonly deferrable: Deferrable }
  | { readonly op: 'toggleIndexUnique'; readonly table: number; readonly index: number }
  | { readonly op: 'changeOnDelete'; readonly table: number; readonly column: number; readonly onDelete: ReferentialAction }
  | { readonly op: 'dropUnique'; readonly table: number; readonly unique: number }
  | { readonly op: 'addCheck'; readonly table: number; readonly column: number }
  | { readonly op: 'dropCheck'; readonly table: number; readonly check: number }
  | { readonly op: 'addForeignKey'; readonly table: number; readonly column: number; readonly target: number }
  | { readonly op: 'dropForeignKey'; readonly table: number; readonly column: number }
  | { readonly op: 'addEnum'; readonly enumType: EnumChoice }
  | { readonly op: 'dropEnum'; readonly enumType: number }
  | { readonly op: 'addEnumLabel'; readonly enumType: number; readonly label: number; readonly position: number }
  | { readonly op: 'tableComment'; readonly table: number; readonly comment: string | null }
  | { readonly op: 'columnComment'; readonly table: number; readonly column: number; readonly comment: string | null };

const n = fc.nat(15);
const comment = fc.option(fc.constantFrom(...COMMENTS), { nil: null });

export const mutationChoice: fc.Arbitrary<MutationChoice> = fc.oneof(
  fc.record({ op: fc.constant('addTable' as const), table: tableChoice }),
  fc.record({ op: fc.constant('dropTable' as const), table: n }),
  fc.record({ op: fc.constant('addColumn' as const), table: n, column: columnChoice }),
  fc.record({ op: fc.constant('addForeignKeyColumn' as const), table: n, target: n, nullable: fc.boolean(), onDelete: onDeleteChoice }),
  fc.record({ op: fc.constant('dropColumn' as const), table: n, column: n }),
  fc.record({ op: fc.constant('renameColumn' as const), table: n, column: n, name: n }),
  fc.record({ op: fc.constant('widen' as const), table: n, column: n }),
  fc.record({ op: fc.constant('toggleNullable' as const), table: n, column: n }),
  fc.record({ op: fc.constant('changeDefault' as const), table: n, column: n, defaultIndex: fc.option(fc.nat(4), { nil: null }) }),
  fc.record({ op: fc.constant('addIndex' as const), table: n, index: indexChoice }),
  fc.record({ op: fc.constant('dropIndex' as const), table: n, index: n }),
  fc.record({ op: fc.constant('addUnique' as const), table: n, column: n, deferrable: deferrableChoice }),
  fc.record({ op: fc.constant('redefineUnique' as const), table: n, unique: n, deferrable: deferrableChoice }),
  fc.record({ op: fc.constant('toggleIndexUnique' as const), table: n, index: n }),
  fc.record({ op: fc.constant('changeOnDelete' as const), table: n, column: n, onDelete: onDeleteChoice }),
  fc.record({ op: fc.constant('dropUnique' as const), table: n, unique: n }),
  fc.record({ op: fc.constant('addCheck' as const), table: n, column: n }),
  fc.record({ op: fc.constant('dropCheck' as const), table: n, check: n }),
  fc.record({ op: fc.constant('addForeignKey' as const), table: n, column: n, target: n }),
  fc.record({ op: fc.constant('dropForeignKey' as const), table: n, column: n }),
  fc.record({ op: fc.constant('addEnum' as const), enumType: enumChoice }),
  fc.record({ op: fc.constant('dropEnum' as const), enumType: n }),
  fc.record({ op: fc.constant('addEnumLabel' as const), enumType: n, label: n, position: n }),
  fc.record({ op: fc.constant('tableComment' as const), table: n, comment }),
  fc.record({ op: fc.constant('columnComment' as const), table: n, column: n, comment }),
);

export interface MutationList {
  readonly secondSchema: string;
  readonly steps: readonly MutationChoice[];
}

export const mutationList: fc.Arbitrary<MutationList> = fc.record({
  secondSchema: fc.constantFrom(...SECOND_SCHEMAS),
  steps: fc.array(mutationChoice, { minLength: 1, maxLength: 5 }),
});

const names = (column: ColumnSpec | undefined): string[][] => (column ? [[column.name]] : []);
const at = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);
const without = <T>(items: readonly T[], i: number): T[] => items.filter((_, k) => k !== i % items.length);

/** Names a new table or column may take: not in use, and never used by the first spec. */
function freshName(pool: readonly string[], start: number, taken: (name: string) => boolean): string | undefined {
  for (let k = 0; k < pool.length; k++) {
    const name = pool[(start + k) % pool.length]!;
    if (!taken(name)) return name;
  }
  return undefined;
}

interface Context {
  readonly before: SchemaSpec;
  readonly secondSchema: string;
}

function mapTable(spec: SchemaSpec, i: number, fn: (table: TableSpec) => TableSpec): SchemaSpec {
  const target = at(spec.tables, i);
  return target ? { ...spec, tables: spec.tables.map((t) => (t === target ? fn(t) : t)) } : spec;
}

/** `fn` on the c-th of the table's columns that `applies` to (all by default). */
function mapColumn(
  spec: SchemaSpec, t: number, c: number, fn: (column: ColumnSpec, table: TableSpec) => ColumnSpec,
  applies: (column: ColumnSpec) => boolean = () => true,
): SchemaSpec {
  return mapTable(spec, t, (table) => {
    const target = at(table.columns.filter(applies), c);
    return target ? { ...table, columns: table.columns.map((col) => (col === target ? fn(col, table) : col)) } : table;
  });
}

function columnNameTaken(ctx: Context, table: TableSpec, name: string): boolean {
  const old = findTable(ctx.before, table);
  return name === 'id' || table.columns.some((c) => c.name === name) || (old?.columns.some((c) => c.name === name) ?? false);
}

/** varchar(n) → a longer varchar or text; numeric(p,s) → numeric(p+4,s); integer → bigint (not FKs). */
// A renamed column keeps its type: pgshift renames only columns that do (rename first, retype later).
const canWiden = (column: ColumnSpec): boolean =>
  column.renamedFrom === null && (column.kind === 'varchar' || column.kind === 'numeric' || (column.kind === 'integer' && !column.references));

const sameType = (a: ColumnSpec, b: ColumnSpec): boolean =>
  a.kind === b.kind && a.length === b.length && a.precision === b.precision && a.scale === b.scale && a.enumRef?.schema === b.enumRef?.schema && a.enumRef?.name === b.enumRef?.name;

function widened(column: ColumnSpec): ColumnSpec {
  switch (column.kind) {
    case 'varchar': {
      const longer = VARCHAR_LENGTHS.find((l) => l > column.length);
      return longer === undefined ? { ...column, kind: 'text' } : { ...column, length: longer };
    }
    case 'numeric': return { ...column, precision: column.precision + 4 };
    case 'integer': return column.references ? column : { ...column, kind: 'bigint' };
    default: return column;
  }
}

/**
 * A column of the first spec renamed (what `--rename` is for): its indexes, uniques and checks follow it,
 * as decorators on the renamed property would. Only once per column, and only to a name never used.
 */
function renameColumn(spec: SchemaSpec, ctx: Context, t: number, c: number, start: number): SchemaSpec {
  return mapTable(spec, t, (table) => {
    const old = findTable(ctx.before, table);
    const target = at(table.columns.filter((col) => old?.columns.some((o) => o.name === col.name && sameType(o, col)) && col.renamedFrom === null), c);
    const name = freshName(COLUMN_NAMES, start, (x) => columnNameTaken(ctx, table, x));
    if (!target || name === undefined) return table;
    const rename = (x: string) => (x === target.name ? name : x);
    return {
      ...table,
      columns: table.columns.map((col) => (col === target ? { ...col, name, renamedFrom: col.name } : col)),
      indexes: table.indexes.map((i) => ({ ...i, columns: i.columns.map(rename) })),
      uniques: table.uniques.map((u) => ({ ...u, columns: u.columns.map(rename) })),
      checks: table.checks.map(rename),
    };
  });
}

function addTable(spec: SchemaSpec, ctx: Context, choice: TableChoice): SchemaSpec {
  const draft = tableFromChoice(choice, ctx.secondSchema, spec.enums, spec.tables);
  const taken = (name: string) => [...spec.tables, ...ctx.before.tables].some((t) => t.schema === draft.schema && t.name === name);
  const name = freshName(TABLE_NAMES, choice.name, taken);
  return name === undefined ? spec : { ...spec, tables: [...spec.tables, { ...draft, name }] };
}

function addColumn(spec: SchemaSpec, ctx: Context, t: number, column: ColumnSpec, start: number): SchemaSpec {
  return mapTable(spec, t, (table) => {
    const name = column.references ? (columnNameTaken(ctx, table, column.name) ? undefined : column.name)
      : freshName(COLUMN_NAMES, start, (x) => columnNameTaken(ctx, table, x));
    return name === undefined ? table : { ...table, columns: [...table.columns, { ...column, name }] };
  });
}

function dropTable(spec: SchemaSpec, i: number): SchemaSpec {
  const gone = at(spec.tables, i);
  if (!gone) return spec;
  // Foreign keys to it go with it (sanitize does it too; explicit here because it is the point).
  const tables = spec.tables.filter((t) => t !== gone).map((t) => ({
    ...t, columns: t.columns.map((c) => (c.references && sameQualified(c.references, gone) ? { ...c, references: null } : c)),
  }));
  return { ...spec, tables };
}

function addEnumLabel(spec: SchemaSpec, e: number, label: number, position: number): SchemaSpec {
  const target = at(spec.enums, e);
  if (!target) return spec;
  const fresh = freshName(LABELS, label, (l) => target.values.includes(l));
  if (fresh === undefined) return spec;
  const p = position % (target.values.length + 1);
  const values = [...target.values.slice(0, p), fresh, ...target.values.slice(p)];
  return { ...spec, enums: spec.enums.map((x) => (x === target ? { ...x, values } : x)) };
}

function dropEnum(spec: SchemaSpec, e: number): SchemaSpec {
  const target = at(spec.enums, e);
  if (!target || spec.tables.some((t) => t.columns.some((c) => c.enumRef && sameQualified(c.enumRef, target)))) return spec;
  return { ...spec, enums: spec.enums.filter((x) => x !== target) };
}

function addForeignKey(spec: SchemaSpec, t: number, c: number, target: number): SchemaSpec {
  return mapColumn(spec, t, c, (column, table) => {
    const candidates = spec.tables.filter((x) => x !== table && pkKindType(x.pk) === column.kind);
    const to = at(candidates, target);
    return to ? { ...column, references: { schema: to.schema, name: to.name } } : column;
  }, (column) => (column.kind === 'integer' || column.kind === 'bigint') && !column.references);
}

function applyOne(spec: SchemaSpec, ctx: Context, m: MutationChoice): SchemaSpec {
  switch (m.op) {
    case 'addTable': return addTable(spec, ctx, m.table);
    case 'dropTable': return dropTable(spec, m.table);
    case 'addColumn': return addColumn(spec, ctx, m.table, columnFromChoice(m.column, spec.enums), m.column.name);
    case 'addForeignKeyColumn': {
      const target = at(spec.tables, m.target);
      return target ? addColumn(spec, ctx, m.table, foreignKeyColumn(target, m.nullable, m.onDelete), 0) : spec;
    }
    case 'dropColumn': return mapTable(spec, m.table, (t) => ({ ...t, columns: without(t.columns, m.column) }));
    case 'renameColumn': return renameColumn(spec, ctx, m.table, m.column, m.name);
    case 'widen': return mapColumn(spec, m.table, m.column, widened, canWiden);
    case 'toggleNullable': return mapColumn(spec, m.table, m.column, (c) => ({ ...c, nullable: !c.nullable }));
    case 'changeDefault': return mapColumn(spec, m.table, m.column, (c) => ({ ...c, defaultIndex: m.defaultIndex }));
    case 'addIndex':
      return mapTable(spec, m.table, (t) => ({
        ...t, indexes: [...t.indexes, { columns: m.index.columns.flatMap((i) => at(t.columns, i)?.name ?? []), unique: m.index.unique, partial: m.index.partial }],
      }));
    case 'dropIndex': return mapTable(spec, m.table, (t) => ({ ...t, indexes: without(t.indexes, m.index) }));
    case 'addUnique':
      return mapTable(spec, m.table, (t) => ({ ...t, uniques: [...t.uniques, ...names(at(t.columns.filter(canBeUnique), m.column)).map((columns) => ({ columns, deferrable: m.deferrable }))] }));
    case 'redefineUnique': {
      // Same columns, so the same name: a redefinition, not a drop and an unrelated add.
      return mapTable(spec, m.table, (t) => {
        const target = at(t.uniques, m.unique);
        return target ? { ...t, uniques: t.uniques.map((u) => (u === target ? { ...u, deferrable: m.deferrable } : u)) } : t;
      });
    }
    case 'toggleIndexUnique':
      return mapTable(spec, m.table, (t) => {
        const target = at(t.indexes, m.index);
        return target ? { ...t, indexes: t.indexes.map((i) => (i === target ? { ...i, unique: !i.unique } : i)) } : t;
      });
    case 'changeOnDelete': return mapColumn(spec, m.table, m.column, (c) => ({ ...c, onDelete: m.onDelete }), (c) => c.references !== null);
    case 'dropUnique': return mapTable(spec, m.table, (t) => ({ ...t, uniques: without(t.uniques, m.unique) }));
    case 'addCheck': {
      const checkable = (c: ColumnSpec) => checkExpression(c, c.name) !== null;
      return mapTable(spec, m.table, (t) => ({ ...t, checks: [...t.checks, ...names(at(t.columns.filter(checkable), m.column)).flat()] }));
    }
    case 'dropCheck': return mapTable(spec, m.table, (t) => ({ ...t, checks: without(t.checks, m.check) }));
    case 'addForeignKey': return addForeignKey(spec, m.table, m.column, m.target);
    case 'dropForeignKey': return mapColumn(spec, m.table, m.column, (c) => ({ ...c, references: null }), (c) => c.references !== null);
    case 'addEnum': {
      const e = enumFromChoice(m.enumType, ctx.secondSchema);
      return spec.enums.some((x) => sameQualified(x, e)) || ctx.before.enums.some((x) => sameQualified(x, e)) ? spec : { ...spec, enums: [...spec.enums, e] };
    }
    case 'dropEnum': return dropEnum(spec, m.enumType);
    case 'addEnumLabel': return addEnumLabel(spec, m.enumType, m.label, m.position);
    case 'tableComment': return mapTable(spec, m.table, (t) => ({ ...t, comment: m.comment }));
    case 'columnComment': return mapColumn(spec, m.table, m.column, (c) => ({ ...c, comment: m.comment }));
  }
}

/** The second spec: `before` with every mutation applied, kept valid (also for `before`'s rows). */
export function applyMutations(before: SchemaSpec, list: MutationList): SchemaSpec {
  const ctx: Context = { before, secondSchema: list.secondSchema };
  const after = list.steps.reduce((spec, m) => applyOne(spec, ctx, m), before);
  return sanitize(keepPopulatedRowsValid(before, sanitize(after)));
}
