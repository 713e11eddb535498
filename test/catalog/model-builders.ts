/**
 * Terse builders for entity-side models in tests (raw expressions, as the entity loader produces them).
 */
import type { Column, Index, SchemaModel, Table } from '../../src/model/schema';

export function column(name: string, dataType: string, extra: Partial<Column> = {}): Column {
  return {
    name, dataType, enumType: null, isArray: false, nullable: true, default: null,
    identity: null, serial: false, comment: null, ...extra,
  };
}

export function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return {
    schema: 'public', name, columns, primaryKey: null, uniques: [], foreignKeys: [], checks: [], indexes: [],
    comment: null, ...extra,
  };
}

export function index(name: string, keys: Index['keys'], where: string | null = null, extra: Partial<Index> = {}): Index {
  return { name, keys, unique: false, method: 'btree', where, ...extra };
}

export function expressionKey(expression: string) {
  return { column: null, expression, descending: false, nullsNotDefault: false };
}

export function columnKey(name: string) {
  return { column: name, expression: null, descending: false, nullsNotDefault: false };
}

export function model(tables: Table[], extra: Partial<SchemaModel> = {}): SchemaModel {
  return { schemas: ['public'], extensions: [], enums: [], tables, ...extra };
}
