/**
 * The element type of a column as Postgres's `format_type(atttypid, atttypmod)` prints it, computed from
 * what TypeORM writes in `CREATE TABLE` (PostgresDriver.createFullType over a normalized type, length,
 * precision and scale). Both sides of a diff then compare plain strings: `character varying(255)`,
 * `numeric(18,8)`, `timestamp(3) with time zone`, `character(1)`.
 */

/** Spellings TypeORM passes through unchanged but Postgres prints under another name. */
const CANONICAL: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  decimal: 'numeric',
  float: 'double precision',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  varbit: 'bit varying',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
};

/** Types whose precision modifier Postgres prints between the name and `with/without time zone`. */
const ZONED = /^(timestamp|time) (with|without) time zone$/;

export interface TypeParts {
  /** TypeORM's normalized type (PostgresDriver.normalizeType). */
  readonly type: string;
  /** TypeORM's length string ('' when none). */
  readonly length?: string | number | null;
  readonly precision?: number | null;
  readonly scale?: number | null;
  readonly spatialFeatureType?: string | null;
  readonly srid?: number | null;
}

const has = (value: unknown): value is number | string => value !== null && value !== undefined && value !== '';

export function formatType(parts: TypeParts): string {
  const type = CANONICAL[parts.type] ?? parts.type;
  const { length, precision, scale } = parts;

  const zoned = ZONED.exec(type);
  if (zoned) return has(precision) ? `${zoned[1]}(${precision}) ${zoned[2]} time zone` : type;

  if (type === 'geometry' || type === 'geography') {
    if (!has(parts.spatialFeatureType)) return type;
    return has(parts.srid) ? `${type}(${parts.spatialFeatureType},${parts.srid})` : `${type}(${parts.spatialFeatureType})`;
  }

  if (type === 'numeric') {
    // numeric(p) is stored as numeric(p,0); a scale without a precision is dropped by TypeORM.
    if (has(length)) return String(length).includes(',') ? `numeric(${length})` : `numeric(${length},0)`;
    if (has(precision)) return `numeric(${precision},${has(scale) ? scale : 0})`;
    return type;
  }

  if (has(length)) return `${type}(${length})`;
  // `character` and `bit` without a length mean length 1, which format_type prints.
  if (type === 'character' || type === 'bit') return `${type}(1)`;
  if (has(precision)) return has(scale) && type !== 'interval' ? `${type}(${precision},${scale})` : `${type}(${precision})`;
  return type;
}
