/**
 * The SQL of the data checks (src/planner/precheck.ts): each counts the rows that break a fact and
 * returns up to SAMPLES of them, in one read-only query. Only bad rows are sorted or materialized, so on
 * clean data a check costs one scan (an index scan where one exists) and returns nothing.
 *
 * Every query returns rows of { key, value, failing, failing_total, total, rows_total } (text, text,
 * boolean, bigint, bigint, bigint): `key` identifies a sample row (its primary key, or ctid), `value`
 * what is wrong with it; the totals are window counts over every bad row, so one sample row carries them.
 */
import type { Precheck } from '../../planner/precheck';
import { parseType } from '../../planner/type-change-facts';
import { dollarTag, ident, qualified } from '../../sql/quote';

export const SAMPLES = 5;
/** How much of a value a sample shows: enough to find the row, never a whole document. */
const SHOWN = 60;

type Of<K extends Precheck['kind']> = Extract<Precheck, { kind: K }>;

/** A row's identity as text: its primary key (`42`, `(7,'a')`), or its ctid when the table has none. */
function keyText(primaryKey: readonly string[], qualifier = ''): string {
  if (primaryKey.length === 0) return `${qualifier}ctid::text`;
  if (primaryKey.length === 1) return `${qualifier}${ident(primaryKey[0]!)}::text`;
  return `ROW(${primaryKey.map((c) => `${qualifier}${ident(c)}`).join(', ')})::text`;
}

function keyOrder(primaryKey: readonly string[], qualifier = ''): string {
  return primaryKey.length === 0 ? `${qualifier}ctid` : primaryKey.map((c) => `${qualifier}${ident(c)}`).join(', ');
}

const shown = (expr: string) => `left((${expr})::text, ${SHOWN})`;

export function notNullQuery(c: Of<'not-null'>): string {
  return [
    `SELECT ${keyText(c.primaryKey)} AS key, NULL::text AS value, true AS failing,`,
    '       count(*) OVER () AS failing_total, count(*) OVER () AS total, count(*) OVER () AS rows_total',
    `  FROM ${qualified(c.table)} WHERE ${ident(c.column)} IS NULL`,
    ` ORDER BY ${keyOrder(c.primaryKey)} LIMIT ${SAMPLES}`,
  ].join('\n');
}

/** MATCH SIMPLE (TypeORM's and PostgreSQL's default): a key with any NULL column references nothing. */
export function foreignKeyQuery(c: Of<'foreign-key'>): string {
  const t = qualified(c.table);
  const ref = 'pgshift_ref';
  const own = c.columns.map((col) => `${t}.${ident(col)}`);
  const value = own.length === 1 ? own[0]! : `ROW(${own.join(', ')})`;
  const match = c.columns.map((col, i) => `${ref}.${ident(c.referencedColumns[i]!)} = ${t}.${ident(col)}`).join(' AND ');
  return [
    `SELECT ${keyText(c.primaryKey, `${t}.`)} AS key, ${shown(value)} AS value, true AS failing,`,
    '       count(*) OVER () AS failing_total, count(*) OVER () AS total, count(*) OVER () AS rows_total',
    `  FROM ${t}`,
    ` WHERE ${own.map((o) => `${o} IS NOT NULL`).join(' AND ')}`,
    `   AND NOT EXISTS (SELECT FROM ${qualified(c.referencedTable)} AS ${ref} WHERE ${match})`,
    ` ORDER BY ${keyOrder(c.primaryKey, `${t}.`)} LIMIT ${SAMPLES}`,
  ].join('\n');
}

/** CHECK semantics: only a row whose expression is false violates it (NULL, unknown, passes). */
export function checkQuery(c: Of<'check'>): string {
  return [
    `SELECT ${keyText(c.primaryKey)} AS key, NULL::text AS value, true AS failing,`,
    '       count(*) OVER () AS failing_total, count(*) OVER () AS total, count(*) OVER () AS rows_total',
    `  FROM ${qualified(c.table)} WHERE NOT (${c.expression})`,
    ` ORDER BY ${keyOrder(c.primaryKey)} LIMIT ${SAMPLES}`,
  ].join('\n');
}

/**
 * Groups of rows sharing a key. Rows with a NULL key column never clash in a unique index (NULLS
 * DISTINCT, the default); `total` counts groups, `rows_total` the rows in them; the sample's `key` is
 * the duplicated value and `value` how many rows hold it.
 */
export function uniqueQuery(c: Of<'unique'>): string {
  const keys = c.keys;
  const value = keys.length === 1 ? keys[0]! : `ROW(${keys.join(', ')})`;
  const where = [...keys.map((k) => `${k} IS NOT NULL`), ...(c.where ? [`(${c.where})`] : [])].join(' AND ');
  return [
    `SELECT ${shown(value)} AS key, count(*)::text AS value, true AS failing,`,
    '       count(*) OVER () AS failing_total, count(*) OVER () AS total, sum(count(*)) OVER () AS rows_total',
    `  FROM ${qualified(c.table)} WHERE ${where}`,
    ` GROUP BY ${keys.join(', ')} HAVING count(*) > 1`,
    ` ORDER BY count(*) DESC, 1 LIMIT ${SAMPLES}`,
  ].join('\n');
}

/** `expr` cast to a type; an enum on either side goes through text (no direct cast exists). */
function cast(expr: string, to: Of<'narrowing'>['to'], viaText: boolean): string {
  return viaText ? `(${expr})::text::${to.sql}` : `(${expr})::${to.sql}`;
}

const INTEGER = new Set(['smallint', 'integer', 'bigint']);
const NUMERIC_SOURCE = new Set(['numeric', 'real', 'double precision', ...INTEGER]);
const TEXT_SOURCE = new Set(['text', 'character varying', 'character']);

export interface NarrowingPredicates {
  /** Rows whose value the conversion rejects (an error), as far as a predicate can tell; null: only a cast can tell. */
  readonly fails: string | null;
  /** Rows whose value comes out different; evaluating it may raise the conversion's error. */
  readonly changes: string;
  /** When `fails` is null: a predicate that evaluates the cast on every row, so a failing one raises. */
  readonly probe: string;
}

/**
 * The exact semantics of a narrowing conversion, on `v` (the old column's value, never NULL here):
 * numeric(p,s) rejects a value whose rounding to s digits reaches 10^(p-s) and rounds one with more than
 * s digits; an explicit cast to varchar(n)/char(n) cuts a longer string; otherwise the value cast to the
 * new type and back must come back equal (compared in the old type, so 1.00 and 1.0000 are the same
 * number), and a failing cast is found row by row (failingCastsBlock).
 */
export function narrowingPredicates(c: Of<'narrowing'>, v: string): NarrowingPredicates {
  const from = parseType(c.from.dataType);
  const to = parseType(c.to.dataType);
  const scalar = !c.from.isArray && !c.to.isArray && !c.from.viaText && !c.to.viaText;
  if (scalar && to.base === 'numeric' && to.args.length > 0 && NUMERIC_SOURCE.has(from.base)) {
    const [p, s = 0] = to.args as [number, number?];
    const rounded = `round((${v})::numeric, ${s})`;
    return { fails: `abs(${rounded}) >= 1e${p - s}`, changes: `${rounded} <> (${v})::numeric`, probe: 'false' };
  }
  if (scalar && to.base !== 'numeric' && INTEGER.has(to.base) && INTEGER.has(from.base)) {
    const bits = { smallint: 16, integer: 32, bigint: 64 }[to.base as 'smallint'];
    const limit = `${2n ** BigInt(bits - 1)}`;
    return { fails: `(${v})::numeric NOT BETWEEN -${limit} AND ${BigInt(limit) - 1n}`, changes: 'false', probe: 'false' };
  }
  if (scalar && TEXT_SOURCE.has(from.base) && (to.base === 'character varying' || to.base === 'character') && to.args.length > 0) {
    return { fails: 'false', changes: `length(${v}) > ${to.args[0]}`, probe: 'false' };
  }
  const viaText = c.from.viaText || c.to.viaText;
  const back = cast(cast(v, c.to, viaText), c.from, viaText);
  // A cast of a non-NULL value never yields NULL: the probe is false for every row it does not fail on.
  return { fails: null, changes: `${back} IS DISTINCT FROM (${v})`, probe: `${cast(v, c.to, viaText)} IS NULL` };
}

/** Narrowing, one query: valid when `fails` is a predicate (or the cast raised no error). */
export function narrowingQuery(c: Of<'narrowing'>): string {
  const v = `${qualified(c.table)}.${ident(c.column)}`;
  const { fails, changes, probe } = narrowingPredicates(c, v);
  // Only a cast can tell: the probe makes a failing value raise, and runCheck then casts row by row.
  const failing = fails ?? probe;
  // A failing value must not reach the `changes` predicate, which would raise the error it describes.
  const bad = c.changesAccepted ? failing : `CASE WHEN ${failing} THEN true ELSE ${changes} END`;
  return [
    'SELECT key, value, failing, count(*) FILTER (WHERE failing) OVER () AS failing_total, count(*) OVER () AS total, count(*) OVER () AS rows_total',
    `  FROM (SELECT ${keyText(c.primaryKey)} AS key, ${shown(v)} AS value, (${failing}) AS failing, ${keyOrder(c.primaryKey)}`,
    `          FROM ${qualified(c.table)} WHERE ${v} IS NOT NULL AND ${bad}) AS bad`,
    ` ORDER BY failing DESC, ${keyOrder(c.primaryKey)} LIMIT ${SAMPLES}`,
  ].join('\n');
}

/** The setting a failingCastsBlock leaves its result in (transaction-local). */
export const CAST_RESULT_SETTING = 'pgshift.check_result';

/**
 * When only a cast can tell (text → integer, jsonb → a composite, …), and the one-query form raised the
 * cast's error: every value is cast in its own subtransaction, counting the failures (with their
 * messages) and the changed values. A DO block returns nothing, so the result is left in a
 * transaction-local setting; the caller runs it in a READ ONLY transaction, which it cannot escape.
 */
export function failingCastsBlock(c: Of<'narrowing'>): string {
  const t = qualified(c.table);
  const viaText = c.from.viaText || c.to.viaText;
  const back = cast(cast('r.v', c.to, viaText), c.from, viaText);
  const sample = (failing: boolean, error: string) =>
    `IF jsonb_array_length(samples) < ${SAMPLES} THEN samples := samples || jsonb_build_object('key', r.key, 'value', left(r.v::text, ${SHOWN}), 'failing', ${failing}, 'error', ${error}); END IF;`;
  const body = [
    "DECLARE r record; failed bigint := 0; changed bigint := 0; samples jsonb := '[]';",
    'BEGIN',
    `  FOR r IN SELECT ${keyText(c.primaryKey)} AS key, ${ident(c.column)} AS v FROM ${t} WHERE ${ident(c.column)} IS NOT NULL ORDER BY ${keyOrder(c.primaryKey)} LOOP`,
    '    BEGIN',
    c.changesAccepted
      ? `      PERFORM ${cast('r.v', c.to, viaText)};`
      : `      IF ${back} IS DISTINCT FROM r.v THEN changed := changed + 1; ${sample(false, 'NULL')} END IF;`,
    '    EXCEPTION WHEN OTHERS THEN',
    `      failed := failed + 1; ${sample(true, 'SQLERRM')}`,
    '    END;',
    '  END LOOP;',
    `  PERFORM set_config('${CAST_RESULT_SETTING}', jsonb_build_object('failed', failed, 'changed', changed, 'samples', samples)::text, true);`,
    'END',
  ].join('\n');
  const tag = dollarTag('pgshift_check', body);
  return `DO ${tag}\n${body}\n${tag}`;
}
