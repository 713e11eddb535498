/**
 * cookModel ≡ introspect: a schema created with TypeORM-style raw expressions, read back by introspect,
 * must equal the model with those raw expressions cooked by the server — on the database that holds the
 * tables and on a fresh one (as a shadow database would be).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import { truncateIdentifier } from '../../src/model/names';
import type { SchemaModel, Table } from '../../src/model/schema';
import { databaseWith, tableOf, withoutGiven, type ConnectedDatabase } from './helpers';
import { createTableSql, DEFAULTS_TABLE, ENUMS_SQL, LONG_TABLE, rawKeys, type RawTable } from './typeorm-expressions';

const RAW_TABLES = [DEFAULTS_TABLE, LONG_TABLE];

/** The introspected table with every expression put back the way the entity side writes it. */
function uncooked(table: Table, raw: RawTable): Table {
  const defaults = new Map(raw.defaults.map((d) => [truncateIdentifier(d.column), d.raw]));
  const checks = new Map(raw.checks.map((c) => [c.name, c.raw]));
  const indexes = new Map(raw.indexes.map((i) => [i.name, i]));
  return {
    ...table,
    columns: table.columns.map((c) => (defaults.has(c.name) ? { ...c, default: defaults.get(c.name)! } : c)),
    checks: table.checks.map((c) => ({ ...c, expression: checks.get(c.name)! })),
    indexes: table.indexes.map((i) => ({ ...i, keys: rawKeys(indexes.get(i.name)!), where: indexes.get(i.name)!.where ?? null })),
  };
}

function uncookedModel(model: SchemaModel): SchemaModel {
  return {
    ...model,
    tables: model.tables.map((t) => {
      const raw = RAW_TABLES.find((r) => r.schema === t.schema && truncateIdentifier(r.name) === t.name);
      return raw ? uncooked(t, raw) : t;
    }),
  };
}

describe('cookModel', () => {
  let live: ConnectedDatabase;
  let introspected: SchemaModel;
  let raw: SchemaModel;

  beforeAll(async () => {
    live = await databaseWith(['CREATE EXTENSION "uuid-ossp"', ENUMS_SQL, RAW_TABLES.map(createTableSql).join(';\n')]);
    introspected = await introspect(live.client);
    raw = uncookedModel(introspected);
  });
  afterAll(async () => { await live?.close(); });

  it('starts from a raw model that really differs from the introspected one', () => {
    const table = tableOf(raw, DEFAULTS_TABLE.name);
    const introspectedTable = tableOf(introspected, DEFAULTS_TABLE.name);
    const differing = table.columns.filter((c, i) => c.default !== introspectedTable.columns[i]!.default);
    expect(differing.length).toBeGreaterThanOrEqual(25);
    expect(table.checks.every((c, i) => c.expression !== introspectedTable.checks[i]!.expression)).toBe(true);
    expect(raw).not.toEqual(introspected);
  });

  it('cooks every default, check, index key and predicate into what introspect reads back', async () => {
    const cooked = await cookModel(live.client, raw);
    expect(tableOf(withoutGiven(cooked), DEFAULTS_TABLE.name)).toEqual(tableOf(introspected, DEFAULTS_TABLE.name));
    expect(withoutGiven(cooked)).toEqual(introspected);
    // …while the raw spelling is kept for writing: a check is written as the entity gives it.
    expect(tableOf(cooked, DEFAULTS_TABLE.name).checks.map((c) => c.given)).toEqual(tableOf(raw, DEFAULTS_TABLE.name).checks.map((c) => c.expression));
  });

  it('cooks the same on a fresh database that lacks the schema and the enum types', async () => {
    const shadow = await databaseWith('CREATE EXTENSION "uuid-ossp"');
    try {
      expect(withoutGiven(await cookModel(shadow.client, raw))).toEqual(introspected);
      // Nothing is left behind: no temp tables, no types, no schema.
      const leftovers = await shadow.client.query(
        "SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'pgshift%')::int AS rels,"
        + " (SELECT count(*) FROM pg_type WHERE typtype = 'e')::int AS enums,"
        + " (SELECT count(*) FROM pg_namespace WHERE nspname = 'billing')::int AS schemas",
      );
      expect(leftovers.rows[0]).toEqual({ rels: 0, enums: 0, schemas: 0 });
    } finally {
      await shadow.close();
    }
  });

  it('is meant for raw text only: cooking cooked text is not always a no-op', async () => {
    // The server prints an IN list as `= ANY ((ARRAY[…])::text[])`; parsed again, that prints differently.
    // So only the entity side is cooked, never a model read from a catalog.
    const twice = await cookModel(live.client, introspected);
    const check = (m: SchemaModel) => tableOf(m, DEFAULTS_TABLE.name).checks.find((c) => c.name === 'CHK_currency')!.expression;
    expect(check(twice)).not.toBe(check(introspected));
    expect({ ...twice, tables: [] }).toEqual({ ...introspected, tables: [] });
  });

  it('does not touch the caller\'s transaction or settings', async () => {
    const { client } = live;
    await client.query('BEGIN');
    await client.query("SET LOCAL search_path = billing, public");
    await client.query('CREATE TEMP TABLE mine (id int)');
    try {
      expect(withoutGiven(await cookModel(client, raw))).toEqual(introspected);
      expect(client.getTransactionStatus()).toBe('T');
      expect((await client.query('SHOW search_path')).rows[0].search_path).toBe('billing, public');
      const temps = await client.query("SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'");
      expect(temps.rows.map((r) => r.relname)).toEqual(['mine']);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
