/**
 * Defaults, CHECKs and index expressions written the way TypeORM writes them (raw, as in the entities),
 * covering the default-cooking regressions of TypeORM's own generator (typeorm-facts.md: #3076 #5132
 * #6579 #7955 #9829 #10038 #10831 #11990 — CURRENT_TIMESTAMP vs now(), `'{}'` on arrays, jsonb casts,
 * `at time zone`, negative numbers, strings with a `::character varying` cast).
 */
import type { IndexKey } from '../../src/model/schema';

export interface DefaultCase {
  readonly column: string;
  readonly type: string;
  readonly raw: string;
}

export interface RawIndex {
  readonly name: string;
  readonly keys: readonly { readonly column?: string; readonly expression?: string; readonly desc?: boolean; readonly nullsNotDefault?: boolean }[];
  readonly where?: string;
  readonly method?: string;
  readonly unique?: boolean;
}

export interface RawTable {
  readonly schema: string;
  readonly name: string;
  readonly defaults: readonly DefaultCase[];
  readonly plainColumns: readonly string[];
  readonly checks: readonly { readonly name: string; readonly raw: string }[];
  readonly indexes: readonly RawIndex[];
}

export const ENUMS_SQL = `
  CREATE TYPE order_state AS ENUM ('active', 'paused', 'deleted');
  CREATE SCHEMA billing;
  CREATE TYPE billing."OrderStatus" AS ENUM ('a', 'b', 'c');
`;

export const DEFAULTS_TABLE: RawTable = {
  schema: 'public',
  name: 'typeorm_defaults',
  plainColumns: ['id serial PRIMARY KEY', 'deleted_at timestamptz', 'big_id bigint GENERATED ALWAYS AS IDENTITY'],
  defaults: [
    { column: 'created_at', type: 'timestamp', raw: 'now()' },
    { column: 'updated_at', type: 'timestamptz', raw: 'CURRENT_TIMESTAMP' },
    { column: 'precise_at', type: 'timestamp(6)', raw: 'CURRENT_TIMESTAMP(6)' },
    { column: 'local_at', type: 'timestamp', raw: 'LOCALTIMESTAMP' },
    { column: 'utc_at', type: 'timestamp', raw: "(now() at time zone 'utc')" },
    { column: 'utc_fn_at', type: 'timestamp', raw: "timezone('utc', now())" },
    { column: 'day', type: 'date', raw: 'CURRENT_DATE' },
    { column: 'span', type: 'interval', raw: "'1 day'" },
    { column: 'currency', type: 'varchar(3)', raw: "'USD'" },
    { column: 'country', type: 'character(2)', raw: "'XX'" },
    { column: 'label', type: 'text', raw: "'it''s'" },
    { column: 'path', type: 'varchar', raw: "'C:\\temp\\x'" },
    { column: 'displayName', type: 'varchar(64)', raw: "'Anonymous'" },
    { column: 'neg', type: 'integer', raw: '-1' },
    { column: 'neg_paren', type: 'smallint', raw: '(-1)' },
    { column: 'neg_numeric', type: 'numeric(10,2)', raw: '-1.5' },
    { column: 'neg_big', type: 'bigint', raw: '-9007199254740993' },
    { column: 'price', type: 'numeric(12,4)', raw: '0' },
    { column: 'price_text', type: 'numeric', raw: "'0.00'" },
    { column: 'thousand', type: 'numeric', raw: '1e3' },
    { column: 'ratio', type: 'double precision', raw: '0.5' },
    { column: 'ratio4', type: 'real', raw: '1.5' },
    { column: 'count_text', type: 'integer', raw: "'5'" },
    { column: 'sum', type: 'integer', raw: '1 + 1' },
    { column: 'flag', type: 'boolean', raw: 'true' },
    { column: 'flag_text', type: 'boolean', raw: "'false'" },
    { column: 'tags', type: 'text[]', raw: "'{}'" },
    { column: 'ints', type: 'integer[]', raw: "'{1,2}'" },
    { column: 'codes', type: 'varchar(20)[]', raw: "'{}'" },
    { column: 'letters', type: 'text[]', raw: "ARRAY['a', 'b']" },
    { column: 'meta', type: 'jsonb', raw: "'{}'" },
    { column: 'meta_obj', type: 'jsonb', raw: `'{"a":1,"b":[true,null]}'` },
    { column: 'meta_list', type: 'json', raw: "'[]'" },
    { column: 'blob', type: 'bytea', raw: "'\\x00ff'" },
    { column: 'ip', type: 'inet', raw: "'127.0.0.1'" },
    { column: 'uuid', type: 'uuid', raw: 'gen_random_uuid()' },
    { column: 'uuid_ossp', type: 'uuid', raw: 'uuid_generate_v4()' },
    { column: 'lowered', type: 'text', raw: "lower('ABC')" },
    { column: 'casted', type: 'numeric', raw: "'7'::numeric" },
    { column: 'state', type: 'order_state', raw: "'active'" },
    { column: 'states', type: 'order_state[]', raw: "'{active,paused}'" },
    { column: 'billingStatus', type: 'billing."OrderStatus"', raw: "'c'" },
  ],
  checks: [
    { name: 'CHK_price', raw: '"price" >= 0' },
    { name: 'CHK_price_range', raw: '"price" >= 0 AND "price" < 1000000' },
    { name: 'CHK_currency', raw: `"currency" IN ('USD', 'EUR')` },
    { name: 'CHK_label', raw: 'char_length("label") > 0' },
    { name: 'CHK_country', raw: `"country" ~ '^[A-Z]\\w$'` },
    { name: 'CHK_state', raw: `"state" <> 'deleted'` },
    { name: 'CHK_billing', raw: `"billingStatus" IN ('a', 'b')` },
    { name: 'CHK_neg', raw: '"neg" BETWEEN -10 AND 10' },
    { name: 'CHK_meta', raw: `"meta" ? 'a' OR "meta" = '{}'` },
    { name: 'CHK_displayName', raw: `"displayName" <> ''` },
    { name: 'CHK_dates', raw: '"deleted_at" IS NULL OR "deleted_at" > "created_at"' },
  ],
  indexes: [
    { name: 'IDX_live', keys: [{ column: 'created_at' }], where: '"deleted_at" IS NULL' },
    { name: 'IDX_lower_label', keys: [{ expression: 'lower("label")' }] },
    { name: 'IDX_active', keys: [{ column: 'state' }], where: `"state" = 'active'` },
    { name: 'IDX_meta_a', keys: [{ expression: `"meta" ->> 'a'` }, { column: 'id', desc: true }] },
    { name: 'IDX_price', keys: [{ column: 'price', desc: true, nullsNotDefault: true }], where: '"price" > 0' },
    { name: 'IDX_search', keys: [{ expression: `to_tsvector('english', "label")` }], method: 'gin' },
    { name: 'IDX_flag', keys: [{ column: 'currency' }], where: '"flag" = true', unique: true },
    { name: 'IDX_bare_column', keys: [{ expression: '"label"' }] },
    { name: 'IDX_billing', keys: [{ column: 'id' }], where: `"billingStatus" = 'c' AND "states" @> '{active}'` },
  ],
};

export const LONG_TABLE: RawTable = {
  schema: 'billing',
  name: 'Invoice_lines_with_a_table_name_that_is_longer_than_sixty_three_bytes',
  plainColumns: ['"Id" integer'],
  defaults: [
    { column: 'A_column_name_that_is_also_far_longer_than_sixty_three_bytes_really', type: 'text', raw: "'x'" },
    { column: 'MixedCase', type: 'varchar(10)', raw: "'X'" },
    { column: 'status', type: 'billing."OrderStatus"', raw: "'a'" },
  ],
  checks: [{ name: 'CHK_MixedCase', raw: `"MixedCase" <> '' AND "status" <> 'b'` }],
  indexes: [{ name: 'IDX_MixedCase', keys: [{ expression: 'upper("MixedCase")', desc: true }], where: `"status" = 'a'` }],
};

function keySql(key: RawIndex['keys'][number]): string {
  const target = key.column !== undefined ? `"${key.column}"` : `(${key.expression})`;
  const desc = key.desc ? ' DESC' : '';
  const nulls = key.nullsNotDefault ? (key.desc ? ' NULLS LAST' : ' NULLS FIRST') : '';
  return `${target}${desc}${nulls}`;
}

/** The DDL TypeORM would run for the table: raw expressions exactly as written above. */
export function createTableSql(table: RawTable): string {
  const name = `"${table.schema}"."${table.name}"`;
  const parts = [
    ...table.plainColumns,
    ...table.defaults.map((d) => `"${d.column}" ${d.type} DEFAULT ${d.raw}`),
    ...table.checks.map((c) => `CONSTRAINT "${c.name}" CHECK (${c.raw})`),
  ];
  const indexes = table.indexes.map((i) =>
    `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX "${i.name}" ON ${name} USING ${i.method ?? 'btree'} (${i.keys.map(keySql).join(', ')})`
    + (i.where ? ` WHERE ${i.where}` : ''));
  return [`CREATE TABLE ${name} (${parts.join(', ')})`, ...indexes].join(';\n');
}

/** The index keys as the entity side would model them, with raw expressions. */
export function rawKeys(index: RawIndex): IndexKey[] {
  return index.keys.map((k) => ({
    column: k.column ?? null,
    expression: k.expression ?? null,
    descending: Boolean(k.desc),
    nullsNotDefault: Boolean(k.nullsNotDefault),
  }));
}
