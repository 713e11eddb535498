/**
 * A plain-text picture of a test database's schema (public schema): columns with type, NOT NULL and
 * default; constraints with their definition and validity; indexes; triggers; functions; views; enums.
 * Sorted, so two databases with the same schema give equal snapshots whatever the column order.
 * Independent of pgshift's own introspector on purpose: the tests check pgshift against the server.
 * The contract-usage bookkeeping (src/planner/contract-usage.ts) is left out: like schema_migrations it
 * outlives every down, shared by all contracts of the schema.
 */
import type { Client } from 'pg';

const notUsage = (name: string) => `${name} NOT LIKE 'pgshift\\_contract\\_%'`;

const QUERIES: Record<string, string> = {
  columns: `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
              || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
              || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped AND ${notUsage('c.relname')}`,
  constraints: `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || CASE WHEN k.convalidated THEN '' ELSE ' NOT VALID' END AS line
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND ${notUsage('c.relname')}`,
  indexes: `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND ${notUsage('tablename')}`,
  triggers: `SELECT t.tgname AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
  functions: `SELECT p.proname AS line FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND ${notUsage('p.proname')}`,
  views: `SELECT viewname || ': ' || definition AS line FROM pg_views WHERE schemaname = 'public'`,
  enums: `SELECT t.typname || ' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS line
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`,
};

export type CatalogSnapshot = Record<string, string[]>;

export async function catalogSnapshot(client: Client): Promise<CatalogSnapshot> {
  const out: CatalogSnapshot = {};
  for (const [name, sql] of Object.entries(QUERIES)) {
    const rows = (await client.query<{ line: string }>(sql)).rows;
    out[name] = rows.map((r) => r.line).sort();
  }
  return out;
}
