/**
 * Builds the DDL that queries/cook.sql executes: one temporary table per model table (named by its
 * position, so it maps back without relying on names that may collide across schemas), carrying the raw
 * defaults, CHECKs and index expressions. Raw expressions come from the user's own entities, which are
 * trusted like their migrations; they are only ever run inside a transaction that is rolled back.
 */
import type { Column, EnumType, Index, SchemaModel, Table } from '../model/schema';
import { ident, literal, qualified } from '../sql/quote';

export const COOK_TABLE_PREFIX = 'pgshift_cook_';

/** The comment a temporary column carries while its default has not been applied (see tableInput). */
export const UNCOOKED_DEFAULT_MARK = 'pgshift: default not cooked';

export function cookTableName(tableIndex: number): string {
  return `${COOK_TABLE_PREFIX}${tableIndex}`;
}

export function cookCheckName(tableIndex: number, checkIndex: number): string {
  return `${cookTableName(tableIndex)}_check_${checkIndex}`;
}

export function cookIndexName(tableIndex: number, indexIndex: number): string {
  return `${cookTableName(tableIndex)}_index_${indexIndex}`;
}

export interface CookEnumInput {
  readonly type: string;
  readonly schema: string;
  readonly createSchema: string;
  readonly createType: string;
}

export interface CookTableInput {
  /** The whole table with all its expressions, when every one of them is valid. */
  readonly whole: readonly string[];
  /** The same, one piece per statement, for when something in `whole` fails. */
  readonly pieces: readonly string[];
}

export interface CookInput {
  readonly enums: readonly CookEnumInput[];
  readonly tables: readonly CookTableInput[];
}

/**
 * Enum defaults are already bare labels in the model (introspection strips their cast), and serial
 * columns carry no default: neither is sent to the server.
 */
export function defaultToCook(column: Column): string | null {
  if (column.default === null || column.enumType !== null || column.serial) return null;
  return column.default;
}

/** A raw expression in parentheses; the newline keeps a trailing `--` comment from eating the `)`. */
function wrapped(raw: string): string {
  return `(${raw}\n)`;
}

function columnType(column: Column): string {
  const element = column.enumType ? qualified(column.enumType) : column.dataType || 'text';
  return column.isArray ? `${element}[]` : element;
}

function columnDefinition(column: Column, withDefault: boolean): string {
  const raw = defaultToCook(column);
  const def = withDefault && raw !== null ? ` DEFAULT ${wrapped(raw)}` : '';
  return `${ident(column.name)} ${columnType(column)}${def}`;
}

function indexStatement(tableIndex: number, indexIndex: number, index: Index): string {
  const keys = index.keys.map((key) => {
    const target = key.column !== null ? ident(key.column) : wrapped(key.expression ?? 'NULL');
    const direction = key.descending ? ' DESC' : '';
    const nulls = key.nullsNotDefault ? (key.descending ? ' NULLS LAST' : ' NULLS FIRST') : '';
    return `${target}${direction}${nulls}`;
  });
  const where = index.where !== null ? ` WHERE ${wrapped(index.where)}` : '';
  // Never UNIQUE: uniqueness does not change how expressions print and would only add ways to fail.
  return `CREATE INDEX ${ident(cookIndexName(tableIndex, indexIndex))} ON pg_temp.${ident(cookTableName(tableIndex))}`
    + ` USING ${ident(index.method)} (${keys.join(', ')})${where}`;
}

function tableInput(table: Table, tableIndex: number): CookTableInput {
  const name = ident(cookTableName(tableIndex));
  const target = `pg_temp.${name}`;
  const checks = table.checks.map((check, k) => `CONSTRAINT ${ident(cookCheckName(tableIndex, k))} CHECK ${wrapped(check.expression)}`);
  const indexes = table.indexes.map((index, k) => indexStatement(tableIndex, k, index));
  const whole = [
    `CREATE TEMP TABLE ${name} (${[...table.columns.map((c) => columnDefinition(c, true)), ...checks].join(',\n')})`,
    ...indexes,
  ];
  // A default that cooks to a NULL constant is not stored at all, just like a default that failed: the
  // marker comment, set with the column and cleared by the same EXECUTE that sets the default, tells them
  // apart (a piece is one subtransaction, so both happen or neither).
  const markUncooked = (c: Column) => `COMMENT ON COLUMN ${target}.${ident(c.name)} IS ${literal(UNCOOKED_DEFAULT_MARK)}`;
  const pieces = [
    `CREATE TEMP TABLE ${name} ()`,
    ...table.columns.map((c) => `ALTER TABLE ${target} ADD COLUMN ${columnDefinition(c, false)}`
      + (defaultToCook(c) === null ? '' : `;\n${markUncooked(c)}`)),
    ...table.columns.flatMap((c) => {
      const raw = defaultToCook(c);
      return raw === null ? [] : [
        `ALTER TABLE ${target} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${wrapped(raw)};\n`
        + `COMMENT ON COLUMN ${target}.${ident(c.name)} IS NULL`,
      ];
    }),
    ...checks.map((check) => `ALTER TABLE ${target} ADD ${check}`),
    ...indexes,
  ];
  return { whole, pieces };
}

function enumInput(enumType: EnumType): CookEnumInput {
  return {
    type: qualified(enumType),
    schema: enumType.schema,
    createSchema: `CREATE SCHEMA ${ident(enumType.schema)}`,
    createType: `CREATE TYPE ${qualified(enumType)} AS ENUM (${enumType.values.map(literal).join(', ')})`,
  };
}

export function cookInput(model: SchemaModel): CookInput {
  return {
    enums: model.enums.map(enumInput),
    tables: model.tables.map(tableInput),
  };
}
