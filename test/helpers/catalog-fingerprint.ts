/**
 * A byte-exact picture of a database's user schema from pg_catalog, including each relation's
 * relfilenode (it changes when a table is rewritten) — for "nothing changed but X" assertions.
 */
import type { Client } from 'pg';

export async function catalogFingerprint(client: Client, exclude: readonly string[] = []): Promise<unknown> {
  const { rows } = await client.query(
    `SELECT n.nspname, c.relname, c.relkind, c.relfilenode,
            (SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
                                              pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
               FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            (SELECT json_agg(json_build_array(k.conname, pg_get_constraintdef(k.oid), k.convalidated) ORDER BY k.conname)
               FROM pg_constraint k WHERE k.conrelid = c.oid) AS constraints,
            (SELECT pg_get_indexdef(c.oid) WHERE c.relkind = 'i') AS indexdef,
            obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
        AND NOT (c.relname = ANY($1::text[]))
      ORDER BY n.nspname, c.relname`,
    [exclude],
  );
  const types = await client.query(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
  );
  return { relations: rows, enums: types.rows };
}

/** Row count of every ordinary user table. */
export async function rowCounts(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of rows) counts[t] = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t}`)).rows[0]!.n);
  return counts;
}
