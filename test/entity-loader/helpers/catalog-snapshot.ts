/**
 * A comparable picture of a database's schema read with plain pg_catalog queries, and the same picture
 * drawn from a SchemaModel. The real introspector lives in src/catalog (written separately); this one
 * exists only to check the entity loader against what TypeORM's `synchronize` creates.
 */
import type { SchemaModel } from '../../../src/model/schema';
import type { TestDatabase } from '../../helpers/db';

export interface SnapshotColumn {
  name: string;
  /** format_type of the element type, or `enum:<schema>.<name>`; `[]` appended for arrays. */
  type: string;
  nullable: boolean;
  identity: string | null;
  serial: boolean;
  hasDefault: boolean;
  comment: string | null;
}

export interface SnapshotTable {
  name: string;
  comment: string | null;
  columns: SnapshotColumn[];
  primaryKey: { name: string; columns: string[] } | null;
  uniques: { name: string; columns: string[]; deferrable: string }[];
  foreignKeys: {
    name: string; columns: string[]; references: string; referencedColumns: string[];
    onDelete: string; onUpdate: string; deferrable: string;
  }[];
  checks: string[];
  indexes: { name: string; columns: string[]; unique: boolean; method: string; partial: boolean }[];
}

export interface Snapshot {
  schemas: string[];
  extensions: string[];
  enums: { name: string; values: string[] }[];
  tables: SnapshotTable[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedNames = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function snapshotOfModel(model: SchemaModel): Snapshot {
  return {
    schemas: sortedNames([...model.schemas]),
    extensions: sortedNames([...model.extensions]),
    enums: model.enums.map((e) => ({ name: `${e.schema}.${e.name}`, values: [...e.values] })).sort(byName),
    tables: model.tables.map((t) => ({
      name: `${t.schema}.${t.name}`,
      comment: t.comment,
      columns: t.columns.map((c) => ({
        name: c.name,
        type: (c.enumType ? `enum:${c.enumType.schema}.${c.enumType.name}` : c.dataType) + (c.isArray ? '[]' : ''),
        nullable: c.nullable,
        identity: c.identity,
        serial: c.serial,
        hasDefault: c.default !== null || c.serial,
        comment: c.comment,
      })),
      primaryKey: t.primaryKey ? { name: t.primaryKey.name, columns: [...t.primaryKey.columns] } : null,
      uniques: t.uniques.map((u) => ({ name: u.name, columns: [...u.columns], deferrable: u.deferrable })).sort(byName),
      foreignKeys: t.foreignKeys.map((f) => ({
        name: f.name,
        columns: [...f.columns],
        references: `${f.referencedTable.schema}.${f.referencedTable.name}`,
        referencedColumns: [...f.referencedColumns],
        onDelete: f.onDelete,
        onUpdate: f.onUpdate,
        deferrable: f.deferrable,
      })).sort(byName),
      checks: sortedNames(t.checks.map((c) => c.name)),
      indexes: t.indexes.map((i) => ({
        name: i.name, columns: i.keys.map((k) => k.column ?? `(${k.expression})`), unique: i.unique, method: i.method, partial: i.where !== null,
      })).sort(byName),
    })).sort(byName),
  };
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const deferrable = (deferrableFlag: boolean, deferred: boolean) =>
  (deferrableFlag ? (deferred ? 'initially deferred' : 'initially immediate') : 'not deferrable');

/** Tables TypeORM creates for itself, not for the entities. */
const TYPEORM_OWN_TABLES = new Set(['typeorm_metadata']);

export async function snapshotOfDatabase(db: TestDatabase): Promise<Snapshot> {
  const schemas = await db.query<{ name: string }>(`SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_SCHEMAS}`);
  const extensions = await db.query<{ name: string }>(`SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'`);
  const enums = await db.query<{ name: string; values: string[] }>(`
    SELECT n.nspname || '.' || t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE ${USER_SCHEMAS} GROUP BY 1`);
  const tables = await db.query<{ oid: number; schema: string; name: string; comment: string | null }>(`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}`);
  const columns = await db.query<{
    table: number; name: string; type: string; is_array: boolean; enum_name: string | null; nullable: boolean;
    identity: string; serial: boolean; has_default: boolean; comment: string | null;
  }>(`
    SELECT a.attrelid::int AS table, a.attname AS name,
           format_type(CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE a.atttypid END, a.atttypmod) AS type,
           t.typcategory = 'A' AS is_array,
           CASE WHEN et.typtype = 'e' THEN en.nspname || '.' || et.typname END AS enum_name,
           NOT a.attnotnull AS nullable, a.attidentity AS identity,
           a.attidentity = '' AND pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL AS serial,
           -- A generation expression lives in pg_attrdef too; it is not a default.
           a.atthasdef AND a.attgenerated = '' AS has_default,
           col_description(a.attrelid, a.attnum) AS comment
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE a.atttypid END
    JOIN pg_namespace en ON en.oid = et.typnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
    ORDER BY a.attrelid, a.attnum`);
  const constraints = await db.query<{
    table: number; name: string; type: string; columns: string[]; references: string | null; referenced_columns: string[] | null;
    on_delete: string; on_update: string; deferrable: boolean; deferred: boolean;
  }>(`
    SELECT con.conrelid::int AS table, con.conname AS name, con.contype AS type,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
           CASE WHEN con.contype = 'f' THEN fn.nspname || '.' || fc.relname END AS references,
           ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS referenced_columns,
           con.confdeltype AS on_delete, con.confupdtype AS on_update, con.condeferrable AS deferrable, con.condeferred AS deferred
    FROM pg_constraint con
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE con.conrelid <> 0 AND con.contype IN ('p', 'u', 'f', 'c')`);
  const indexes = await db.query<{ table: number; name: string; columns: string[]; unique: boolean; method: string; partial: boolean }>(`
    SELECT i.indrelid::int AS table, ic.relname AS name,
           ARRAY(SELECT coalesce(a.attname, '(expression)') FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
           i.indisunique AS unique, am.amname AS method, i.indpred IS NOT NULL AS partial
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
    WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))`);

  const ownTables = tables.filter((t) => !TYPEORM_OWN_TABLES.has(t.name));
  return {
    schemas: sortedNames(schemas.map((s) => s.name)),
    extensions: sortedNames(extensions.map((e) => e.name)),
    enums: enums.map((e) => ({ name: e.name, values: e.values })).sort(byName),
    tables: ownTables.map((t): SnapshotTable => {
      const own = constraints.filter((c) => c.table === t.oid);
      const pk = own.find((c) => c.type === 'p');
      return {
        name: `${t.schema}.${t.name}`,
        comment: t.comment,
        columns: columns.filter((c) => c.table === t.oid).map((c) => ({
          name: c.name,
          type: (c.enum_name ? `enum:${c.enum_name}` : c.type) + (c.is_array ? '[]' : ''),
          nullable: c.nullable,
          identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
          serial: c.serial,
          hasDefault: c.has_default,
          comment: c.comment,
        })),
        primaryKey: pk ? { name: pk.name, columns: pk.columns } : null,
        uniques: own.filter((c) => c.type === 'u')
          .map((c) => ({ name: c.name, columns: c.columns, deferrable: deferrable(c.deferrable, c.deferred) })).sort(byName),
        foreignKeys: own.filter((c) => c.type === 'f').map((c) => ({
          name: c.name,
          columns: c.columns,
          references: c.references!,
          referencedColumns: c.referenced_columns!,
          onDelete: ACTIONS[c.on_delete]!,
          onUpdate: ACTIONS[c.on_update]!,
          deferrable: deferrable(c.deferrable, c.deferred),
        })).sort(byName),
        checks: sortedNames(own.filter((c) => c.type === 'c').map((c) => c.name)),
        indexes: indexes.filter((i) => i.table === t.oid)
          .map(({ name, columns: keys, unique, method, partial }) => ({ name, columns: keys, unique, method, partial })).sort(byName),
      };
    }).sort(byName),
  };
}
