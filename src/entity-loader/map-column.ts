/**
 * One TypeORM TableColumn → one model Column, following PostgresQueryRunner.buildCreateColumnSql: what
 * TypeORM writes in `CREATE TABLE` is what the model records.
 */
import type { TableColumn } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Column, EnumType, IdentityKind, QualifiedName } from '../model/schema';
import { truncateIdentifier } from '../model/names';
import { defaultSql } from './default-sql';
import { formatType } from './format-type';

export interface ColumnContext {
  /** The table's schema and unprefixed-by-schema name, as TypeORM names enum types after them. */
  readonly table: QualifiedName;
  /** `uuid_generate_v4()` or `gen_random_uuid()` (PostgresDriver.uuidGenerator). */
  readonly uuidGenerator: string;
}

export interface MappedColumn {
  readonly column: Column;
  /** The enum type this column needs, when its type is an enum. */
  readonly enumType: EnumType | null;
}

const SERIAL_TYPES = new Set(['integer', 'int', 'int4', 'smallint', 'int2', 'bigint', 'int8']);

function isEnumColumn(column: TableColumn): boolean {
  return column.type === 'enum' || column.type === 'simple-enum';
}

/** PostgresQueryRunner.buildEnumName: `enumName` or `<table>_<column lower-cased>_enum`, in the table's schema. */
function enumTypeName(column: TableColumn, context: ColumnContext): QualifiedName {
  const name = column.enumName ?? `${context.table.name}_${column.name.toLowerCase()}_enum`;
  return { schema: context.table.schema, name: truncateIdentifier(name) };
}

function identityKind(column: TableColumn): IdentityKind | null {
  if (!(column.isGenerated && column.generationStrategy === 'identity')) return null;
  return (column.generatedIdentity ?? 'BY DEFAULT').toLowerCase() === 'always' ? 'always' : 'by default';
}

/**
 * `SERIAL`/`SMALLSERIAL`/`BIGSERIAL`: TypeORM's `increment` strategy on an integer type — and `rowid`,
 * which buildCreateColumnSql writes the same way on Postgres (it is anything generated but uuid/identity).
 */
function isSerial(column: TableColumn): boolean {
  const strategy = column.generationStrategy;
  return column.isGenerated === true && (strategy === 'increment' || strategy === 'rowid') && SERIAL_TYPES.has(column.type);
}

function defaultExpression(column: TableColumn, declared: ColumnMetadata['default'], context: ColumnContext, serialOrIdentity: boolean): string | null {
  // Postgres refuses a second default on serial and identity columns, and the model implies theirs.
  if (serialOrIdentity) return null;
  const sql = defaultSql(declared, column.isArray === true, column.default === undefined || column.default === null ? undefined : String(column.default));
  if (sql !== undefined) return sql;
  if (column.isGenerated && column.generationStrategy === 'uuid') return context.uuidGenerator;
  return null;
}

/** Postgres stores comments as given (TypeORM only drops NUL bytes); an empty comment is no comment. */
function commentOf(column: TableColumn): string | null {
  if (!column.comment) return null;
  const text = column.comment.replaceAll('\u0000', '');
  return text === '' ? null : text;
}

/** `declared`: the entity's own `default` option (TableColumn only has TypeORM's unescaped SQL of it). */
export function mapColumn(column: TableColumn, declared: ColumnMetadata['default'], context: ColumnContext): MappedColumn {
  const identity = identityKind(column);
  const serial = isSerial(column);
  const enumName = isEnumColumn(column) ? enumTypeName(column, context) : null;
  const dataType = enumName ? '' : formatType({
    type: column.type,
    // Serial and identity columns are written as `SERIAL`/`<type> GENERATED …`, without modifiers.
    length: serial || identity ? '' : column.length,
    precision: serial || identity ? undefined : column.precision,
    scale: serial || identity ? undefined : column.scale,
    spatialFeatureType: column.spatialFeatureType,
    srid: column.srid,
  });
  return {
    column: {
      name: truncateIdentifier(column.name),
      dataType,
      enumType: enumName,
      isArray: column.isArray === true,
      // TypeORM writes NOT NULL unless isNullable is true; a primary key column is NOT NULL regardless.
      nullable: column.isNullable === true && column.isPrimary !== true,
      default: defaultExpression(column, declared, context, serial || identity !== null),
      identity,
      serial,
      comment: commentOf(column),
    },
    enumType: enumName ? { ...enumName, values: (column.enum ?? []).map(String) } : null,
  };
}
