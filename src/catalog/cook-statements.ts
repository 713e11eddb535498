/**
 * Builds the DDL that queries/cook.sql executes. Cooking is split into *units*, one temporary table each:
 *  - default units: every distinct (column type, raw default) pair once, as columns `d0`, `d1`, … of
 *    shared tables — a default prints the same whatever table it sits in, and real schemas repeat a few
 *    defaults (`now()`, `0`, `false`) hundreds of times, so 1,000 tables cost a handful of temp tables;
 *  - table units: only tables with a CHECK or an index whose keys or predicate are expressions (those
 *    print in terms of the table's own columns), with the columns' types and those expressions.
 * Units are named by position, so they map back without relying on names that may collide across
 * schemas. Raw expressions come from the user's own entities, which are trusted like their migrations;
 * they are only ever run inside a transaction that is rolled back.
 */
import type { Column, EnumType, Index, SchemaModel, Table, View } from '../model/schema';
import { viewSource } from '../model/expression-source';
import { createIndexSql, columnType as sqlColumnType } from '../sql/column-sql';
import { ident, literal, qualified } from '../sql/quote';

export const COOK_TABLE_PREFIX = 'pgshift_cook_';

/** The comment a temporary column carries while its default has not been applied (see tableInput). */
export const UNCOOKED_DEFAULT_MARK = 'pgshift: default not cooked';

/** Columns per default unit: well under Postgres's 1,600-column limit. */
const DEFAULTS_PER_UNIT = 1000;

export function cookTableName(tableIndex: number): string {
  return `${COOK_TABLE_PREFIX}${tableIndex}`;
}

export function cookDefaultsName(unit: number): string {
  return `${COOK_TABLE_PREFIX}defaults_${unit}`;
}

export function cookCheckName(tableIndex: number, checkIndex: number): string {
  return `${cookTableName(tableIndex)}_check_${checkIndex}`;
}

export function cookIndexName(tableIndex: number, indexIndex: number): string {
  return `${cookTableName(tableIndex)}_index_${indexIndex}`;
}

export function cookExclusionName(tableIndex: number, exclusionIndex: number): string {
  return `${cookTableName(tableIndex)}_exclusion_${exclusionIndex}`;
}

/** A view's definition is cooked by a temporary plain view over the real tables (materialized ones too: same text). */
export function cookViewName(viewIndex: number): string {
  return `${COOK_TABLE_PREFIX}view_${viewIndex}`;
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

/** The column's SQL type; a column whose type the model does not know is cooked as text. */
function columnType(column: Column): string {
  return sqlColumnType({ ...column, dataType: column.dataType || 'text' });
}

function columnDefinition(column: Column, withDefault: boolean, withGenerated = true): string {
  const raw = defaultToCook(column);
  const def = withDefault && raw !== null ? ` DEFAULT ${wrapped(raw)}` : '';
  const generated = withGenerated && column.generated ? ` GENERATED ALWAYS AS ${wrapped(column.generated.expression)} STORED` : '';
  return `${ident(column.name)} ${columnType(column)}${def}${generated}`;
}

/** Tables with expressions of their own: they get a unit that prints them in terms of its columns. */
function tableNeedsCooking(table: Table): boolean {
  return table.checks.length > 0 || table.indexes.some(indexNeedsCooking)
    || (table.exclusions ?? []).length > 0 || table.columns.some((c) => c.generated !== undefined);
}

/** Plain column keys print as the column name: only expression keys and predicates need the server. */
export function indexNeedsCooking(index: Index): boolean {
  return index.where !== null || index.keys.some((key) => key.column === null);
}

function indexStatement(unitName: string, tableIndex: number, indexIndex: number, index: Index): string {
  // Never UNIQUE: uniqueness does not change how expressions print and would only add ways to fail.
  const cooked = { ...index, name: cookIndexName(tableIndex, indexIndex), unique: false };
  return createIndexSql({ schema: 'pg_temp', name: unitName }, cooked, false, wrapped);
}

function tableInput(table: Table, unitName: string, tableIndex: number): CookTableInput {
  const name = ident(unitName);
  const target = `pg_temp.${name}`;
  const checks = table.checks.map((check, k) => `CONSTRAINT ${ident(cookCheckName(tableIndex, k))} CHECK ${wrapped(check.expression)}`);
  const indexes = table.indexes.flatMap((index, k) => (indexNeedsCooking(index) ? [indexStatement(unitName, tableIndex, k, index)] : []));
  const exclusions = (table.exclusions ?? []).map((x, k) => `CONSTRAINT ${ident(cookExclusionName(tableIndex, k))} EXCLUDE ${x.expression}`);
  const whole = [
    `CREATE TEMP TABLE ${name} (${[...table.columns.map((c) => columnDefinition(c, true)), ...checks, ...exclusions].join(',\n')})`,
    ...indexes,
  ];
  // A default that cooks to a NULL constant is not stored at all, just like a default that failed: the
  // marker comment, set with the column and cleared by the same EXECUTE that sets the default, tells them
  // apart (a piece is one subtransaction, so both happen or neither).
  const markUncooked = (c: Column) => `COMMENT ON COLUMN ${target}.${ident(c.name)} IS ${literal(UNCOOKED_DEFAULT_MARK)}`;
  // Generated columns come after the others (their expression may use any of them), each a piece of its
  // own: a bad expression leaves just that column out, and its expression raw.
  const pieces = [
    `CREATE TEMP TABLE ${name} ()`,
    ...table.columns.filter((c) => !c.generated).map((c) => `ALTER TABLE ${target} ADD COLUMN ${columnDefinition(c, false)}`
      + (defaultToCook(c) === null ? '' : `;\n${markUncooked(c)}`)),
    ...table.columns.filter((c) => c.generated).map((c) => `ALTER TABLE ${target} ADD COLUMN ${columnDefinition(c, false)}`),
    ...table.columns.flatMap((c) => {
      const raw = defaultToCook(c);
      return raw === null ? [] : [
        `ALTER TABLE ${target} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${wrapped(raw)};\n`
        + `COMMENT ON COLUMN ${target}.${ident(c.name)} IS NULL`,
      ];
    }),
    ...checks.map((check) => `ALTER TABLE ${target} ADD ${check}`),
    ...exclusions.map((exclusion) => `ALTER TABLE ${target} ADD ${exclusion}`),
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

/** Where a default is cooked: the key is the column's type and raw text. */
export function defaultKey(column: Column): string {
  return `${columnType(column)}\u0000${defaultToCook(column)}`;
}

export interface CookPlan {
  readonly input: CookInput;
  /** defaultKey → [unit table name, column name] */
  readonly defaults: ReadonlyMap<string, readonly [string, string]>;
  /** model table position → unit table name, for tables with expressions of their own */
  readonly tables: ReadonlyMap<number, string>;
  /** model view position → temporary view name */
  readonly views: ReadonlyMap<number, string>;
}

/** The view's query as a temporary view: one statement, whole or not at all. */
function viewInput(view: View, unitName: string): CookTableInput {
  const create = `CREATE TEMP VIEW ${ident(unitName)} AS ${viewSource(view)}`;
  return { whole: [create], pieces: [create] };
}

function defaultUnits(model: SchemaModel): { units: CookTableInput[]; defaults: Map<string, readonly [string, string]> } {
  const distinct = new Map<string, Column>();
  for (const table of model.tables) {
    for (const column of table.columns) {
      if (defaultToCook(column) !== null && !distinct.has(defaultKey(column))) distinct.set(defaultKey(column), column);
    }
  }
  const defaults = new Map<string, readonly [string, string]>();
  const units: CookTableInput[] = [];
  const entries = [...distinct.entries()];
  for (let start = 0; start < entries.length; start += DEFAULTS_PER_UNIT) {
    const unit = cookDefaultsName(units.length);
    const columns = entries.slice(start, start + DEFAULTS_PER_UNIT).map(([key, column], i) => {
      defaults.set(key, [unit, `d${start + i}`]);
      return { ...column, name: `d${start + i}`, nullable: true, comment: null };
    });
    const holder: Table = { schema: 'pg_temp', name: unit, columns, primaryKey: null, uniques: [], foreignKeys: [], checks: [], indexes: [], comment: null };
    units.push(tableInput(holder, unit, -1));
  }
  return { units, defaults };
}

export function cookPlan(model: SchemaModel): CookPlan {
  const { units, defaults } = defaultUnits(model);
  const tables = new Map<number, string>();
  model.tables.forEach((table, i) => {
    if (!tableNeedsCooking(table)) return;
    const unit = cookTableName(i);
    tables.set(i, unit);
    // Defaults are cooked by the default units; here only the column types matter.
    const columns = table.columns.map((c) => ({ ...c, default: null }));
    units.push(tableInput({ ...table, columns }, unit, i));
  });
  const views = new Map<number, string>();
  (model.views ?? []).forEach((view, i) => {
    views.set(i, cookViewName(i));
    units.push(viewInput(view, cookViewName(i)));
  });
  return { input: { enums: model.enums.map(enumInput), tables: units }, defaults, tables, views };
}
