-- The whole schema model in one statement, as one JSON document shaped like SchemaModel (src/model/schema.ts).
--
-- Run it with `search_path = public` (SET LOCAL): pg_get_expr/format_type then print objects in `public`
-- unqualified and everything else qualified, the same way on every run.
--
-- Its input is the transaction-local setting `pgshift.introspect`, a JSON object, so that the text of this
-- file never changes and it can run inside a multi-statement simple query (no bind parameters there):
--   tempOnly      true: read this session's temporary tables instead of the real schemas (cookModel's
--                 read-back, so cooked expressions come from exactly this SQL)
--   schemas       null, or the schema names to read
--   excludeTables LIKE patterns of table names to skip (bookkeeping tables)
--   onlyTables    a LIKE pattern table names must match, or null
--
-- Every aggregate is grouped per table and joined, never a correlated sub-select per table, so the cost
-- grows linearly with the schema size. The per-table aggregates are MATERIALIZED: each is computed once.
-- The planner guesses `rel` at one row (its filters on the input setting look selective), so on a small
-- schema it joins `rel` to them by nested loop; a CTE inlined there is recomputed for every table —
-- foreign_keys_by_table with its per-key column lookups took ~80% of the query at 100 tables on PG 15.
WITH input AS (
  SELECT current_setting('pgshift.introspect')::jsonb AS p
),
scope AS (
  SELECT n.oid, n.nspname
  FROM pg_namespace n, input
  WHERE CASE
    WHEN (input.p ->> 'tempOnly')::boolean THEN n.oid = pg_my_temp_schema()
    -- Users cannot create `pg_*` schemas: the prefix covers pg_catalog, pg_toast*, pg_temp_*.
    ELSE n.nspname !~ '^pg_'
      AND n.nspname <> 'information_schema'
      AND (jsonb_typeof(input.p -> 'schemas') IS DISTINCT FROM 'array'
           OR n.nspname IN (SELECT jsonb_array_elements_text(input.p -> 'schemas')))
      AND NOT EXISTS (SELECT FROM pg_depend d
                      WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
  END
),
rel AS (
  SELECT c.oid, s.nspname, c.relname
  FROM pg_class c
  JOIN scope s ON s.oid = c.relnamespace
  CROSS JOIN input
  WHERE c.relkind IN ('r', 'p')
    -- A partition's shape is its parent's; the model has no notion of partitions.
    AND NOT c.relispartition
    AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    AND NOT c.relname LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(coalesce(input.p -> 'excludeTables', '[]'))))
    AND c.relname LIKE coalesce(input.p ->> 'onlyTables', '%')
),
col AS (
  SELECT a.attrelid, a.attnum,
    json_build_object(
      'name', a.attname,
      'dataType', CASE WHEN et.typtype = 'e' THEN '' ELSE format_type(et.oid, a.atttypmod) END,
      'enumType', CASE WHEN et.typtype = 'e' THEN json_build_object('schema', etn.nspname, 'name', et.typname) END,
      'isArray', arr.oid IS NOT NULL,
      'nullable', NOT a.attnotnull,
      'default', CASE
        -- A generated column's expression is not a default: it is `generated` below.
        WHEN a.attgenerated <> '' THEN NULL
        WHEN seq.oid IS NOT NULL THEN NULL
        -- Enum defaults keep the bare quoted label: the cast's qualification depends on where the type lives.
        WHEN et.typtype = 'e' AND right(def.expr, length(def.cast)) = def.cast
          THEN left(def.expr, length(def.expr) - length(def.cast))
        ELSE def.expr
      END,
      'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
      'serial', seq.oid IS NOT NULL,
      'comment', dsc.description,
      -- Absent from the model when null (catalog-json.ts drops the key).
      'generated', CASE WHEN a.attgenerated = 's' THEN json_build_object('expression', def.expr) END
    ) AS j
  FROM pg_attribute a
  JOIN rel r ON r.oid = a.attrelid
  -- An array column's element type is the type whose designated array type it is (`int2vector` & co. are not).
  LEFT JOIN pg_type arr ON arr.typarray = a.atttypid
  JOIN pg_type et ON et.oid = coalesce(arr.oid, a.atttypid)
  JOIN pg_namespace etn ON etn.oid = et.typnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  CROSS JOIN LATERAL (
    SELECT pg_get_expr(ad.adbin, ad.adrelid) AS expr, '::' || format_type(a.atttypid, a.atttypmod) AS cast
  ) def
  -- serial: a nextval default on a sequence owned by (auto-dependent on) this very column.
  LEFT JOIN LATERAL (
    SELECT d.objid AS oid
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'a'
      AND def.expr = 'nextval(' || quote_literal(d.objid::regclass::text) || '::regclass)'
    LIMIT 1
  ) seq ON true
  LEFT JOIN pg_description dsc
    ON dsc.objoid = a.attrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
),
columns_by_table AS MATERIALIZED (
  SELECT attrelid AS relid, json_agg(j ORDER BY attnum) AS list FROM col GROUP BY attrelid
),
con AS (
  SELECT c.conrelid, c.contype, c.conname,
    (SELECT json_agg(a.attname ORDER BY k.i)
       FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
    CASE WHEN NOT c.condeferrable THEN 'not deferrable'
         WHEN c.condeferred THEN 'initially deferred'
         ELSE 'initially immediate' END AS deferral,
    c.confrelid, c.confkey, c.confdeltype, c.confupdtype,
    -- Same text as the inside of pg_get_constraintdef's `CHECK (…)`, without `NOT VALID`/`NO INHERIT`.
    CASE WHEN c.contype = 'c' THEN pg_get_expr(c.conbin, c.conrelid) END AS check_expression,
    -- What follows `EXCLUDE ` in the definition (TypeORM's @Exclusion text has the same shape).
    CASE WHEN c.contype = 'x' THEN substr(pg_get_constraintdef(c.oid), length('EXCLUDE ') + 1) END AS exclusion_expression
  FROM pg_constraint c
  JOIN rel r ON r.oid = c.conrelid
  -- PG 18's NOT NULL constraints (contype 'n') are not part of the model; constraints cloned from a
  -- parent (conparentid) belong to partitions or to the referenced side of partitioned FKs.
  WHERE c.contype IN ('p', 'u', 'f', 'c', 'x') AND c.conparentid = 0
),
primary_keys AS MATERIALIZED (
  SELECT conrelid AS relid, json_build_object('name', conname, 'columns', columns) AS j
  FROM con WHERE contype = 'p'
),
uniques_by_table AS MATERIALIZED (
  SELECT conrelid AS relid,
    json_agg(json_build_object('name', conname, 'columns', columns, 'deferrable', deferral)) AS list
  FROM con WHERE contype = 'u' GROUP BY conrelid
),
foreign_keys_by_table AS MATERIALIZED (
  SELECT con.conrelid AS relid,
    json_agg(json_build_object(
      'name', con.conname,
      'columns', con.columns,
      'referencedTable', json_build_object('schema', fn.nspname, 'name', fc.relname),
      'referencedColumns', (SELECT json_agg(a.attname ORDER BY k.i)
                              FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
                              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
      'onDelete', CASE con.confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                       WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END,
      'onUpdate', CASE con.confupdtype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                       WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END,
      'deferrable', con.deferral
    )) AS list
  FROM con
  JOIN pg_class fc ON fc.oid = con.confrelid
  JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE con.contype = 'f'
  GROUP BY con.conrelid
),
checks_by_table AS MATERIALIZED (
  SELECT conrelid AS relid, json_agg(json_build_object('name', conname, 'expression', check_expression)) AS list
  FROM con WHERE contype = 'c' GROUP BY conrelid
),
exclusions_by_table AS MATERIALIZED (
  SELECT conrelid AS relid, json_agg(json_build_object('name', conname, 'expression', exclusion_expression)) AS list
  FROM con WHERE contype = 'x' GROUP BY conrelid
),
-- Views and materialized views, under the same scope and name filters as tables.
vrel AS (
  SELECT c.oid, s.nspname, c.relname, c.relkind
  FROM pg_class c
  JOIN scope s ON s.oid = c.relnamespace
  CROSS JOIN input
  WHERE c.relkind IN ('v', 'm')
    AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    AND NOT c.relname LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(coalesce(input.p -> 'excludeTables', '[]'))))
    AND c.relname LIKE coalesce(input.p ->> 'onlyTables', '%')
),
view_columns AS MATERIALIZED (
  SELECT a.attrelid AS relid,
    json_agg(json_build_object('name', a.attname, 'dataType', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum) AS list
  FROM pg_attribute a
  JOIN vrel v ON v.oid = a.attrelid
  WHERE a.attnum > 0 AND NOT a.attisdropped
  GROUP BY a.attrelid
),
-- What each view reads: its rewrite rule's dependencies (column-level where the view names columns).
view_read_columns AS (
  SELECT rw.ev_class AS relid, rn.nspname, rc.relname,
    coalesce(json_agg(ra.attname ORDER BY ra.attname) FILTER (WHERE ra.attname IS NOT NULL), '[]') AS columns
  FROM pg_rewrite rw
  JOIN vrel v ON v.oid = rw.ev_class
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
    AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> rw.ev_class
  JOIN pg_class rc ON rc.oid = d.refobjid
  JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid AND d.refobjsubid > 0
  GROUP BY rw.ev_class, rn.nspname, rc.relname
),
view_reads AS MATERIALIZED (
  SELECT relid, json_agg(json_build_object('schema', nspname, 'name', relname, 'columns', columns)) AS list
  FROM view_read_columns GROUP BY relid
),
idx AS (
  SELECT i.indrelid, i.indexrelid, ic.relname, i.indisunique, i.indnkeyatts, i.indkey, i.indoption, i.indpred,
    am.amname
  FROM pg_index i
  -- Tables' indexes and materialized views'.
  JOIN (SELECT oid FROM rel UNION ALL SELECT oid FROM vrel WHERE relkind = 'm') r ON r.oid = i.indrelid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  -- Indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint are modelled by their constraint.
  WHERE NOT EXISTS (SELECT FROM pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
),
indexes_by_table AS (
  SELECT idx.indrelid AS relid,
    json_agg(json_build_object(
      'name', idx.relname,
      'keys', keys.list,
      'unique', idx.indisunique,
      'method', idx.amname,
      'where', pg_get_expr(idx.indpred, idx.indrelid)
    )) AS list
  FROM idx
  -- Per index, over its own few keys: a LATERAL keeps this linear (a join of per-index aggregates got
  -- planned as a nested loop, quadratic in the number of indexes).
  CROSS JOIN LATERAL (
    SELECT json_agg(json_build_object(
      'column', a.attname,
      -- The key as CREATE INDEX prints it, ready for an index's column list: parenthesized unless it is
      -- a bare function call (`((a + b))`, `lower((email)::text)`).
      'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(idx.indexrelid, k.i::int, false) END,
      'descending', (idx.indoption[k.i::int - 1] & 1) <> 0,
      -- The default is NULLS LAST for ASC and NULLS FIRST for DESC: "not default" is DESC xor NULLS FIRST.
      'nullsNotDefault', ((idx.indoption[k.i::int - 1] & 1) <> 0) <> ((idx.indoption[k.i::int - 1] & 2) <> 0)
    ) ORDER BY k.i) AS list
    FROM unnest(idx.indkey::int2[]) WITH ORDINALITY k(attnum, i)
    LEFT JOIN pg_attribute a ON a.attrelid = idx.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
    -- INCLUDE columns follow the key columns; the model has no place for them.
    WHERE k.i <= idx.indnkeyatts
  ) keys
  GROUP BY idx.indrelid
),
tables AS (
  SELECT json_agg(json_build_object(
    'schema', r.nspname,
    'name', r.relname,
    'columns', coalesce(cols.list, '[]'),
    'primaryKey', pk.j,
    'uniques', coalesce(uq.list, '[]'),
    'foreignKeys', coalesce(fk.list, '[]'),
    'checks', coalesce(ck.list, '[]'),
    'indexes', coalesce(ix.list, '[]'),
    'comment', dsc.description,
    'exclusions', coalesce(ex.list, '[]')
  )) AS list
  FROM rel r
  LEFT JOIN columns_by_table cols ON cols.relid = r.oid
  LEFT JOIN primary_keys pk ON pk.relid = r.oid
  LEFT JOIN uniques_by_table uq ON uq.relid = r.oid
  LEFT JOIN foreign_keys_by_table fk ON fk.relid = r.oid
  LEFT JOIN checks_by_table ck ON ck.relid = r.oid
  LEFT JOIN indexes_by_table ix ON ix.relid = r.oid
  LEFT JOIN exclusions_by_table ex ON ex.relid = r.oid
  LEFT JOIN pg_description dsc ON dsc.objoid = r.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
),
views AS (
  SELECT json_agg(json_build_object(
    'schema', v.nspname,
    'name', v.relname,
    'materialized', v.relkind = 'm',
    'definition', pg_get_viewdef(v.oid),
    'columns', coalesce(vc.list, '[]'),
    'reads', coalesce(vr.list, '[]'),
    'indexes', coalesce(ix.list, '[]')
  )) AS list
  FROM vrel v
  LEFT JOIN view_columns vc ON vc.relid = v.oid
  LEFT JOIN view_reads vr ON vr.relid = v.oid
  LEFT JOIN indexes_by_table ix ON ix.relid = v.oid
),
enums AS (
  SELECT json_agg(json_build_object(
    'schema', s.nspname,
    'name', t.typname,
    'values', coalesce((SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '[]')
  )) AS list
  FROM pg_type t
  JOIN scope s ON s.oid = t.typnamespace
  WHERE t.typtype = 'e'
    AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
)
SELECT json_build_object(
  'schemas', (SELECT coalesce(json_agg(nspname), '[]') FROM scope),
  -- plpgsql is installed everywhere by default; listing it would only add noise to every diff.
  'extensions', (SELECT coalesce(json_agg(extname), '[]') FROM pg_extension WHERE extname <> 'plpgsql'),
  'enums', (SELECT coalesce(list, '[]') FROM enums),
  'tables', (SELECT coalesce(list, '[]') FROM tables),
  'views', (SELECT coalesce(list, '[]') FROM views)
) AS model
