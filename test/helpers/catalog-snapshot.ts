/**
 * The one picture of a test database's schema the suite compares: read straight from pg_catalog —
 * independent of pgshift's own introspector on purpose, so the tests check pgshift against the server.
 *
 * Sorted lines per section (relations, columns, constraints, indexes, triggers, functions, views, enums):
 * two databases with the same schema give equal snapshots whatever the creation order, and a failing
 * `toEqual` shows the differing lines. Stricter than pgshift's model: it also sees NOT VALID
 * constraints, INVALID indexes, triggers and leftover helper functions.
 *
 * Options: `schema` (default public) — expressions print unqualified for it, so a scratch schema and
 * public compare equal; `storage` adds each relation's relfilenode (it changes when a table is
 * rewritten) for "nothing changed but X" assertions; `exclude` leaves relations out by name.
 * pgshift's contract-usage bookkeeping (src/planner/contract-usage.ts) is always left out: like
 * schema_migrations it outlives every down, shared by all contracts of the schema.
 */
import type { Client } from 'pg';

export type CatalogSnapshot = Record<string, string[]>;

export interface SnapshotOptions {
  readonly schema?: string;
  readonly storage?: boolean;
  readonly exclude?: readonly string[];
}

/** `$1` is the schema, `$2` the excluded relation names. */
const notBookkeeping = (name: string) => `${name} NOT LIKE 'pgshift\\_contract\\_%'`;
const inScope = (rel: string) => `${rel}.relnamespace = $1::regnamespace AND ${notBookkeeping(`${rel}.relname`)} AND NOT (${rel}.relname = ANY($2::text[]))`;

const QUERIES: Record<string, (storage: boolean) => string> = {
  relations: (storage) => `
    SELECT c.relname || ' ' || c.relkind::text || coalesce(' comment ' || quote_literal(obj_description(c.oid, 'pg_class')), '')
           ${storage ? `|| ' file ' || c.relfilenode` : ''} AS line
      FROM pg_class c WHERE ${inScope('c')} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i')`,
  columns: () => `
    SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           || CASE a.attidentity WHEN '' THEN '' ELSE ' identity ' || a.attidentity::text END
           || CASE a.attgenerated WHEN '' THEN '' ELSE ' generated ' || a.attgenerated::text END
           || coalesce(' comment ' || quote_literal(col_description(c.oid, a.attnum)), '') AS line
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE ${inScope('c')} AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped`,
  constraints: () => `
    SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
           || CASE WHEN k.convalidated THEN '' ELSE ' (not validated)' END
           || CASE WHEN k.condeferrable THEN ' deferrable' ELSE '' END
           || CASE WHEN k.condeferred THEN ' initially deferred' ELSE '' END AS line
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE ${inScope('c')}`,
  indexes: () => `
    SELECT i.relname || ': ' || replace(pg_get_indexdef(i.oid), ' ON ' || quote_ident($1::text) || '.', ' ON ') || CASE WHEN x.indisvalid THEN '' ELSE ' (invalid)' END AS line
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid WHERE ${inScope('c')}`,
  triggers: () => `
    SELECT c.relname || ' ' || pg_get_triggerdef(t.oid) AS line
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE ${inScope('c')} AND NOT t.tgisinternal`,
  functions: () => `
    SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS line
      FROM pg_proc p WHERE p.pronamespace = $1::regnamespace AND ${notBookkeeping('p.proname')}`,
  views: () => `
    SELECT c.relname || CASE c.relkind WHEN 'm' THEN ' (materialized)' ELSE '' END || ': ' || pg_get_viewdef(c.oid) AS line
      FROM pg_class c WHERE ${inScope('c')} AND c.relkind IN ('v', 'm')`,
  enums: () => `
    SELECT t.typname || ' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS line
      FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND t.typtype = 'e'`,
};

export async function catalogSnapshot(client: Client, options: SnapshotOptions = {}): Promise<CatalogSnapshot> {
  const schema = options.schema ?? 'public';
  const params = [schema, [...(options.exclude ?? [])]];
  const out: CatalogSnapshot = {};
  // One transaction with the schema alone on the search_path: expressions print unqualified for it.
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('search_path', $1, true)`, [schema]);
    for (const [section, sql] of Object.entries(QUERIES)) {
      const text = sql(options.storage ?? false);
      const { rows } = await client.query<{ line: string }>(text, text.includes('$2') ? params : [schema]);
      out[section] = rows.map((r) => r.line).sort();
    }
  } finally {
    await client.query('COMMIT');
  }
  return out;
}

/** Row count of every ordinary table in the schema. */
export async function rowCounts(client: Client, schema = 'public'): Promise<Record<string, number>> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY 1`,
    [schema],
  );
  const counts: Record<string, number> = {};
  for (const { t } of rows) counts[t] = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t}`)).rows[0]!.n);
  return counts;
}
