/**
 * An entity's `default` as SQL. TypeORM's PostgresDriver.normalizeDefault wraps a string (and an enum
 * label, a number, an array's elements) in single quotes without escaping them, so `default: "it's"`
 * writes a broken `DEFAULT 'it's'` and `default: "'; DROP TABLE t; --"` writes a second statement.
 * Here every value is a value, quoted by src/sql/quote.ts; only a function default
 * (`default: () => "now()"`) is SQL, taken as TypeORM normalizes it. For every value without quotes (and
 * without characters an array element must quote) the text is exactly TypeORM's, so a database that
 * TypeORM's `synchronize` built still reads as in sync.
 */
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { arrayText, literal } from '../sql/quote';

/** `declared` is the entity's `default` option; `typeormSql` is TypeORM's normalizeDefault of it. */
export function defaultSql(declared: ColumnMetadata['default'], isArray: boolean, typeormSql: string | undefined): string | undefined {
  if (declared === null || declared === undefined) return undefined;
  if (typeof declared === 'function') return typeormSql;
  if (isArray && Array.isArray(declared)) return literal(arrayText(declared.map((element) => String(element))));
  if (typeof declared === 'string' || typeof declared === 'number') return literal(String(declared));
  if (typeof declared === 'boolean') return declared ? 'true' : 'false';
  if (typeof declared === 'object') return literal(JSON.stringify(declared));
  return typeormSql;
}
