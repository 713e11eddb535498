/**
 * The column types the property generators use, each with what the generators need to stay valid:
 * defaults written the way TypeORM writes them (raw, cooked later by the server), a value per row that
 * is distinct across rows (so uniques hold on populated tables), a constant for `--backfill`, and an
 * optional CHECK that every generated value and the backfill satisfy.
 */
import { ident, literal } from '../../src/sql/quote';

export type Kind =
  | 'integer'
  | 'bigint'
  | 'text'
  | 'varchar'
  | 'numeric'
  | 'boolean'
  | 'timestamptz'
  | 'date'
  | 'jsonb'
  | 'uuid'
  | 'text[]'
  | 'enum';

export const KINDS: readonly Kind[] = ['integer', 'bigint', 'text', 'varchar', 'numeric', 'boolean', 'timestamptz', 'date', 'jsonb', 'uuid', 'text[]', 'enum'];

/** The part of a column that decides its SQL type. */
export interface TypeShape {
  readonly kind: Kind;
  /** character varying(n) */
  readonly length: number;
  /** numeric(p,s) */
  readonly precision: number;
  readonly scale: number;
}

/** A type shape with what an enum column's values depend on. */
export interface Typed extends TypeShape {
  /** Labels of the column's enum (kind `enum` only). */
  readonly labels: readonly string[];
}

export const VARCHAR_LENGTHS = [8, 20, 255] as const;
export const NUMERIC_SHAPES: ReadonlyArray<readonly [number, number]> = [[6, 0], [10, 2], [18, 4]];

/** `format_type()` spelling of the element type ('' for enums: the model names the enum instead). */
export function dataTypeOf(t: TypeShape): string {
  switch (t.kind) {
    case 'varchar': return `character varying(${t.length})`;
    case 'numeric': return `numeric(${t.precision},${t.scale})`;
    case 'timestamptz': return 'timestamp with time zone';
    case 'text[]': return 'text';
    case 'enum': return '';
    default: return t.kind;
  }
}

/** Raw defaults as an entity would declare them (`@Column({ default: … })` ends up as this SQL). */
export function defaultsFor(t: Typed): readonly string[] {
  switch (t.kind) {
    case 'integer': return ['0', '1', '-1', '42'];
    case 'bigint': return ['0', '-9007199254740993'];
    case 'text': return ["'x'", "''", "'it''s'"];
    case 'varchar': return ["'x'", "'abc'"];
    case 'numeric': return ['0', '1.5', '-1'];
    case 'boolean': return ['true', 'false'];
    case 'timestamptz': return ['now()', 'CURRENT_TIMESTAMP', "'2020-01-01 00:00:00+00'"];
    case 'date': return ['CURRENT_DATE', "'2020-01-01'"];
    case 'jsonb': return ["'{}'", "'[]'", `'{"a":1}'`];
    case 'uuid': return ['gen_random_uuid()', "'00000000-0000-0000-0000-000000000000'"];
    case 'text[]': return ["'{}'", "'{a,b}'"];
    case 'enum': return t.labels.map(literal);
  }
}

/** The value of row `i` (1-based), as a SQL literal: distinct per row wherever the type allows. */
export function rowValue(t: Typed, i: number): string {
  switch (t.kind) {
    case 'integer':
    case 'bigint':
    case 'numeric': return String(i);
    case 'text':
    case 'varchar': return literal(`v${i}`);
    case 'boolean': return i % 2 === 0 ? 'true' : 'false';
    case 'timestamptz': return literal(`2020-01-0${i} 00:00:00+00`);
    case 'date': return literal(`2020-01-0${i}`);
    case 'jsonb': return literal(`{"n":${i}}`);
    case 'uuid': return literal(`00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    case 'text[]': return literal(`{a,v${i}}`);
    case 'enum': return literal(t.labels[(i - 1) % t.labels.length]!);
  }
}

/**
 * A constant for `--backfill`: it satisfies the kind's CHECK and differs from every row value, so a
 * column filled where it held NULL stays unique (enum: its first label; booleans are never unique).
 */
export function backfillValue(t: Typed): string {
  switch (t.kind) {
    case 'integer':
    case 'bigint':
    case 'numeric': return '1000';
    case 'text':
    case 'varchar': return "'x'";
    case 'boolean': return 'true';
    case 'timestamptz': return "'2000-01-01 00:00:00+00'";
    case 'date': return "'2000-01-01'";
    case 'jsonb': return "'{}'";
    case 'uuid': return "'00000000-0000-0000-0000-000000000000'";
    case 'text[]': return "'{}'";
    case 'enum': return literal(t.labels[0]!);
  }
}

/** A CHECK body as TypeORM users write it, or null for kinds without an obvious one. */
export function checkExpression(t: TypeShape, column: string): string | null {
  switch (t.kind) {
    case 'integer':
    case 'bigint':
    case 'numeric': return `${ident(column)} > 0`;
    case 'text':
    case 'varchar': return `char_length(${ident(column)}) > 0`;
    default: return null;
  }
}

/** Kinds whose rows can all differ (so a UNIQUE on a populated table holds). */
export function canBeUnique(t: TypeShape): boolean {
  return t.kind !== 'boolean' && t.kind !== 'enum';
}
