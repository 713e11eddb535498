/** Terse builders for schema models in tests. */
import type { Column, Index, SchemaModel, Table } from '../../src/model/schema';

export function col(name: string, dataType: string, options: Partial<Column> = {}): Column {
  return { name, dataType, enumType: null, isArray: false, nullable: true, default: null, identity: null, serial: false, comment: null, ...options };
}

export function table(name: string, columns: Column[], options: Partial<Table> = {}): Table {
  return {
    schema: 'public', name, columns, primaryKey: null, uniques: [], foreignKeys: [], checks: [], indexes: [], comment: null, ...options,
  };
}

export function index(name: string, columns: string[], options: Partial<Index> = {}): Index {
  return {
    name, unique: false, method: 'btree', where: null,
    keys: columns.map((column) => ({ column, expression: null, descending: false, nullsNotDefault: false })),
    ...options,
  };
}

export function model(tables: Table[], options: Partial<SchemaModel> = {}): SchemaModel {
  return { schemas: ['public'], extensions: [], enums: [], tables, ...options };
}

export const idColumn = (name = 'id') => col(name, 'integer', { nullable: false, serial: true });
export const withPk = (t: Table, columns = ['id']): Table => ({ ...t, primaryKey: { name: `${t.name}_pkey`, columns } });
