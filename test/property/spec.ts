/**
 * A schema as the property generators think of it: tables of typed columns, with indexes, uniques and
 * checks named by column, and foreign keys as a column's `references`. Every name of a constraint or an
 * index is derived (TypeORM's naming, test/property/names.ts), so a spec is valid by construction as
 * long as the references it holds exist; `buildModel` turns it into the raw (entity-side) SchemaModel.
 *
 * Plain data, copied on write by the mutations.
 */
import type { Column, Deferrable, EnumType, QualifiedName, ReferentialAction, SchemaModel, Table } from '../../src/model/schema';
import { checkExpression, dataTypeOf, defaultsFor, type Kind, type Typed } from './column-kinds';
import { ident } from '../../src/sql/quote';
import { checkName, foreignKeyName, indexName, primaryKeyName, uniqueName } from './names';

export type PkKind = 'serial' | 'bigserial' | 'identity by default' | 'identity always' | 'bigint identity';

export interface EnumSpec {
  readonly schema: string;
  readonly name: string;
  readonly values: readonly string[];
}

export interface ColumnSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  /** Kind `enum`: which enum. */
  readonly enumRef: QualifiedName | null;
  readonly nullable: boolean;
  /** Index into `defaultsFor(column)`, or null for no default. */
  readonly defaultIndex: number | null;
  readonly comment: string | null;
  /** A foreign key from this column to `references`.id (kind integer/bigint matching its PK). */
  readonly references: QualifiedName | null;
  /** The foreign key's ON DELETE (ignored without `references`). */
  readonly onDelete: ReferentialAction;
  /** Set by the rename mutation: the column's name in the first spec (`--rename table.<was>=<name>`). */
  readonly renamedFrom: string | null;
}

export interface UniqueSpec {
  readonly columns: readonly string[];
  readonly deferrable: Deferrable;
}

export interface IndexSpec {
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** Partial index `WHERE "<column>" IS NOT NULL`, on the first key column. */
  readonly partial: boolean;
}

export interface TableSpec {
  readonly schema: string;
  readonly name: string;
  readonly pk: PkKind;
  readonly columns: readonly ColumnSpec[];
  readonly indexes: readonly IndexSpec[];
  readonly uniques: readonly UniqueSpec[];
  /** Columns with a CHECK (the kind decides the expression). */
  readonly checks: readonly string[];
  readonly comment: string | null;
}

export interface SchemaSpec {
  readonly schemas: readonly string[];
  readonly enums: readonly EnumSpec[];
  readonly tables: readonly TableSpec[];
}

export const sameQualified = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

export function findEnum(spec: SchemaSpec, ref: QualifiedName | null): EnumSpec | undefined {
  return ref ? spec.enums.find((e) => sameQualified(e, ref)) : undefined;
}

export function findTable(spec: SchemaSpec, ref: QualifiedName | null): TableSpec | undefined {
  return ref ? spec.tables.find((t) => sameQualified(t, ref)) : undefined;
}

/** The column's type facts, with its enum's labels as they are in `spec`. */
export function typed(spec: SchemaSpec, column: ColumnSpec): Typed {
  return { ...column, labels: findEnum(spec, column.enumRef)?.values ?? [] };
}

/** The column of the first spec that `column` of `table` (second spec) is, following a rename. */
export function columnBefore(before: SchemaSpec, table: QualifiedName, column: ColumnSpec): ColumnSpec | undefined {
  return findTable(before, table)?.columns.find((c) => c.name === (column.renamedFrom ?? column.name));
}

/** The column of the second spec that `column` of `table` (first spec) became, following a rename. */
export function columnAfter(after: SchemaSpec, table: QualifiedName, column: ColumnSpec): ColumnSpec | undefined {
  return findTable(after, table)?.columns.find((c) => (c.renamedFrom ?? c.name) === column.name);
}

/** The type of a table's `id`, which every foreign key to it must have. */
export function pkKindType(pk: PkKind): 'integer' | 'bigint' {
  return pk === 'bigserial' || pk === 'bigint identity' ? 'bigint' : 'integer';
}

export function defaultOf(spec: SchemaSpec, column: ColumnSpec): string | null {
  if (column.defaultIndex === null) return null;
  const choices = defaultsFor(typed(spec, column));
  return choices.length === 0 ? null : choices[column.defaultIndex % choices.length]!;
}

function idColumn(pk: PkKind): Column {
  const base = { name: 'id', enumType: null, isArray: false, nullable: false, default: null, comment: null };
  switch (pk) {
    case 'serial': return { ...base, dataType: 'integer', identity: null, serial: true };
    case 'bigserial': return { ...base, dataType: 'bigint', identity: null, serial: true };
    case 'identity by default': return { ...base, dataType: 'integer', identity: 'by default', serial: false };
    case 'identity always': return { ...base, dataType: 'integer', identity: 'always', serial: false };
    case 'bigint identity': return { ...base, dataType: 'bigint', identity: 'by default', serial: false };
  }
}

function buildColumn(spec: SchemaSpec, column: ColumnSpec): Column {
  return {
    name: column.name,
    dataType: dataTypeOf(column),
    enumType: column.kind === 'enum' ? column.enumRef : null,
    isArray: column.kind === 'text[]',
    nullable: column.nullable,
    default: defaultOf(spec, column),
    identity: null,
    serial: false,
    comment: column.comment,
  };
}

/** The predicate of a partial index, as an entity writes it: `"<first column>" IS NOT NULL`. */
export function partialWhere(index: IndexSpec): string | null {
  return index.partial ? `${ident(index.columns[0]!)} IS NOT NULL` : null;
}

export function indexNameOf(table: TableSpec, index: IndexSpec): string {
  return indexName(table.name, index.columns, partialWhere(index));
}

const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function buildTable(spec: SchemaSpec, table: TableSpec): Table {
  const columnOf = (name: string) => table.columns.find((c) => c.name === name)!;
  const indexes = table.indexes.map((index) => {
    const where = partialWhere(index);
    return {
      name: indexNameOf(table, index),
      unique: index.unique,
      method: 'btree',
      where,
      keys: index.columns.map((column) => ({ column, expression: null, descending: false, nullsNotDefault: false })),
    };
  });
  const checks = table.checks.map((name) => {
    const expression = checkExpression(columnOf(name), name)!;
    return { name: checkName(table.name, expression), expression };
  });
  return {
    schema: table.schema,
    name: table.name,
    columns: [idColumn(table.pk), ...table.columns.map((c) => buildColumn(spec, c))],
    primaryKey: { name: primaryKeyName(table.name, ['id']), columns: ['id'] },
    uniques: byName(table.uniques.map((u) => ({ name: uniqueName(table.name, u.columns), columns: u.columns, deferrable: u.deferrable }))),
    foreignKeys: byName(
      table.columns.flatMap((c) => (c.references ? [{
        name: foreignKeyName(table.name, [c.name]),
        columns: [c.name],
        referencedTable: c.references,
        referencedColumns: ['id'],
        onDelete: c.onDelete,
        onUpdate: 'NO ACTION' as const,
        deferrable: 'not deferrable' as const,
      }] : [])),
    ),
    checks: byName(checks),
    indexes: byName(indexes),
    comment: table.comment,
  };
}

export function buildModel(spec: SchemaSpec): SchemaModel {
  const enums: EnumType[] = spec.enums.map((e) => ({ schema: e.schema, name: e.name, values: e.values }));
  return {
    schemas: [...spec.schemas].sort(),
    extensions: [],
    enums: [...enums].sort((a, b) => (`${a.schema}.${a.name}` < `${b.schema}.${b.name}` ? -1 : 1)),
    tables: spec.tables.map((t) => buildTable(spec, t)),
  };
}
