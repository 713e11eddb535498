/**
 * The model keeps expressions raw, as TypeORM writes them in DDL. To check that "raw" means the same
 * thing TypeORM wrote, both go through the server: the model's defaults, CHECK bodies and index
 * predicates are applied to scratch tables, and what Postgres stores ("cooked") is compared with what it
 * stored for the tables TypeORM's `synchronize` created.
 */
import type { SchemaModel } from '../../../src/model/schema';
import type { TestDatabase } from '../../helpers/db';

/** `<schema>.<table>.<what>` → cooked text. */
export type Cooked = Record<string, string>;

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgshift_cook') AND n.nspname NOT LIKE 'pg\\_%'`;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function cookedIn(db: TestDatabase, schemaFilter: string, tableKey: (schema: string, table: string) => string): Promise<Cooked> {
  const cooked: Cooked = {};
  const defaults = await db.query<{ schema: string; table: string; column: string; expr: string }>(`
    SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, pg_get_expr(d.adbin, d.adrelid) AS expr
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${schemaFilter} AND pg_get_serial_sequence(c.oid::regclass::text, a.attname) IS NULL`);
  for (const d of defaults) cooked[`${tableKey(d.schema, d.table)}.default:${d.column}`] = d.expr;
  const checks = await db.query<{ schema: string; table: string; name: string; def: string }>(`
    SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE con.contype IN ('c', 'x') AND ${schemaFilter}`);
  for (const c of checks) cooked[`${tableKey(c.schema, c.table)}.check:${c.name}`] = c.def;
  const predicates = await db.query<{ schema: string; table: string; name: string; expr: string }>(`
    SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS expr
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indpred IS NOT NULL AND ${schemaFilter}`);
  for (const p of predicates) cooked[`${tableKey(p.schema, p.table)}.where:${p.name}`] = p.expr;
  return cooked;
}

/** What Postgres stored for the tables `synchronize` created. */
export function cookedOfDatabase(db: TestDatabase): Promise<Cooked> {
  return cookedIn(db, USER_SCHEMAS, (schema, table) => `${schema}.${table}`);
}

/** What Postgres stores for the model's raw expressions, applied to scratch tables. */
export async function cookedOfModel(db: TestDatabase, model: SchemaModel): Promise<Cooked> {
  const client = await db.connect();
  const scratch = new Map<string, string>();
  try {
    await client.query('CREATE SCHEMA pgshift_cook');
    for (const [i, table] of model.tables.entries()) {
      scratch.set(`t${i}`, `${table.schema}.${table.name}`);
      const columns = table.columns.map((c) => {
        const type = (c.enumType ? `${q(c.enumType.schema)}.${q(c.enumType.name)}` : c.dataType) + (c.isArray ? '[]' : '');
        const generated = c.generated ? ` GENERATED ALWAYS AS (${c.generated.expression}) STORED` : '';
        return `${q(c.name)} ${type}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${generated}`;
      });
      const checks = [
        ...table.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${c.expression})`),
        ...(table.exclusions ?? []).map((x) => `CONSTRAINT ${q(x.name)} EXCLUDE ${x.expression}`),
      ];
      await client.query(`CREATE TABLE pgshift_cook.t${i} (${[...columns, ...checks].join(', ')})`);
      for (const [j, index] of table.indexes.entries()) {
        if (index.where === null) continue;
        const keys = index.keys.map((k) => q(k.column!)).join(', ');
        await client.query(`CREATE INDEX i${i}_${j} ON pgshift_cook.t${i} USING ${index.method} (${keys}) WHERE ${index.where}`);
        scratch.set(`i${i}_${j}`, index.name);
      }
    }
    const cooked = await cookedIn(db, `n.nspname = 'pgshift_cook'`, (_schema, table) => scratch.get(table)!);
    // Index predicates were stored under scratch index names: put them back under the model's names.
    return Object.fromEntries(Object.entries(cooked).map(([key, value]) => {
      const match = /^(.*)\.where:(i\d+_\d+)$/.exec(key);
      return [match ? `${match[1]}.where:${scratch.get(match[2]!)}` : key, value];
    }));
  } finally {
    await client.query('DROP SCHEMA IF EXISTS pgshift_cook CASCADE');
    await client.end();
  }
}
