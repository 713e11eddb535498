-- Estimated rows of the tables named by $1 (schemas) and $2 (names), matched pairwise.
-- reltuples is -1 until the first VACUUM/ANALYZE (PG 14+; 0 before): fall back on the heap size at an
-- assumed 100 bytes a row. A partitioned table has no heap of its own: sum its leaf partitions.
WITH wanted AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind
  FROM unnest($1::text[], $2::text[]) AS w(schema, name)
  JOIN pg_namespace n ON n.nspname = w.schema
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name AND c.relkind IN ('r', 'p')
),
-- The heaps to count: the table itself, or a partitioned table's leaves (pg_partition_tree lists nothing
-- for a table outside a partition tree).
leaves AS (
  SELECT w.oid AS table_oid, w.oid AS leaf FROM wanted w WHERE w.relkind = 'r'
  UNION ALL
  SELECT w.oid, p.relid
  FROM wanted w
  CROSS JOIN LATERAL pg_partition_tree(w.oid) p
  WHERE w.relkind = 'p' AND p.isleaf
)
SELECT w.nspname AS schema, w.relname AS name,
  coalesce(sum(CASE WHEN c.reltuples >= 0 THEN c.reltuples
                    ELSE pg_relation_size(c.oid) / 100 END), 0)::bigint AS rows
FROM wanted w
LEFT JOIN leaves l ON l.table_oid = w.oid
LEFT JOIN pg_class c ON c.oid = l.leaf
GROUP BY w.nspname, w.relname
