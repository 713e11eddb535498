/**
 * The JSON document that queries/introspect.sql returns is already shaped like SchemaModel; this module
 * only puts the lists in the model's order. Sorting happens here rather than in SQL so that it is the
 * same order JavaScript's default sort gives the entity side (UTF-16 code units), whatever the database's
 * collation.
 */
import { DEFAULT_SCHEMA, type Column, type QualifiedName, type SchemaModel, type Table, type View } from '../model/schema';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareText(a.name, b.name));
}

function byQualifiedName<T extends QualifiedName>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name));
}

/** The model's optional parts are absent when empty, on both sides, so that equal schemas stay deeply equal. */
function withoutNullGenerated(column: Column): Column {
  if (column.generated !== null && column.generated !== undefined) return column;
  const { generated: _none, ...rest } = column;
  return rest;
}

function sortTable(table: Table): Table {
  const { exclusions, ...rest } = table;
  return {
    ...rest,
    columns: table.columns.map(withoutNullGenerated),
    uniques: byName(table.uniques),
    foreignKeys: byName(table.foreignKeys),
    checks: byName(table.checks),
    indexes: byName(table.indexes),
    ...(exclusions && exclusions.length > 0 ? { exclusions: byName(exclusions) } : {}),
  };
}

function sortView(view: View): View {
  return { ...view, reads: byQualifiedName(view.reads), indexes: byName(view.indexes) };
}

export function modelFromCatalogJson(document: SchemaModel): SchemaModel {
  return {
    schemas: [...new Set([DEFAULT_SCHEMA, ...document.schemas])].sort(compareText),
    extensions: [...document.extensions].sort(compareText),
    enums: byQualifiedName(document.enums),
    tables: byQualifiedName(document.tables).map(sortTable),
    ...(document.views && document.views.length > 0 ? { views: byQualifiedName(document.views).map(sortView) } : {}),
  };
}

/** The `model` column of the result of queries/introspect.sql. */
export function catalogDocument(rows: readonly Record<string, unknown>[]): SchemaModel {
  const document = rows[0]?.model;
  if (document === undefined || document === null || typeof document !== 'object') {
    throw new Error('catalog query returned no model document');
  }
  return document as SchemaModel;
}
