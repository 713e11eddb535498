/**
 * What introspect() leaves out (system and extension objects, bookkeeping tables, partitions, other
 * sessions' and our own temp tables) and how it treats the caller's connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BOOKKEEPING_TABLES, introspect } from '../../src/catalog';
import { PgshiftError } from '../../src/errors';
import { databaseWith, tableOf, type ConnectedDatabase } from './helpers';

describe('introspect scope', () => {
  let fixture: ConnectedDatabase | undefined;
  afterEach(async () => { await fixture?.close(); fixture = undefined; });

  it('skips system schemas, extension members, bookkeeping tables and partitions', async () => {
    fixture = await databaseWith(`
      CREATE EXTENSION citext;
      CREATE EXTENSION "uuid-ossp";
      CREATE TABLE owned_by_extension (id int);
      CREATE TYPE enum_owned_by_extension AS ENUM ('x');
      ALTER EXTENSION citext ADD TABLE owned_by_extension;
      ALTER EXTENSION citext ADD TYPE enum_owned_by_extension;
      CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
      CREATE TABLE pgshift_lock (id int);
      CREATE TABLE schema_migrations_archive (id int);
      CREATE TABLE "pgshiftish" (id int);
      CREATE TABLE events (id int, at date NOT NULL, email citext) PARTITION BY RANGE (at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE INDEX events_at ON events (at);
      ALTER TABLE events ADD PRIMARY KEY (id, at);
      CREATE TABLE refs (id int, at date, FOREIGN KEY (id, at) REFERENCES events (id, at)) PARTITION BY LIST (id);
      CREATE TABLE refs_1 PARTITION OF refs FOR VALUES IN (1);
      CREATE TEMP TABLE my_temp (id int);
    `);
    const model = await introspect(fixture.client);
    expect(BOOKKEEPING_TABLES.exact).toContain('schema_migrations');
    expect(model.schemas).toEqual(['public']);
    expect(model.extensions).toEqual(['citext', 'uuid-ossp']);
    expect(model.enums).toEqual([]);
    expect(model.tables.map((t) => t.name)).toEqual(['events', 'pgshiftish', 'refs', 'schema_migrations_archive']);
    const events = tableOf(model, 'events');
    expect(events.indexes.map((i) => i.name)).toEqual(['events_at']);
    expect(events.primaryKey).toEqual({ name: 'events_pkey', columns: ['id', 'at'] });
    // citext lives in public: printed unqualified; it is not an enum.
    expect(events.columns[2]).toMatchObject({ name: 'email', dataType: 'citext', enumType: null });
    // One foreign key, not one more per partition of the referenced table.
    expect(tableOf(model, 'refs').foreignKeys.map((f) => f.name)).toEqual(['refs_id_at_fkey']);
  });

  it('qualifies names outside public, whatever the caller\'s search_path', async () => {
    fixture = await databaseWith(`
      CREATE SCHEMA app;
      CREATE TYPE app.kind AS ENUM ('a', 'b');
      CREATE FUNCTION app.twice(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
      CREATE SEQUENCE app.counter;
      CREATE TABLE app.things (
        n integer DEFAULT app.twice(21),
        c bigint DEFAULT nextval('app.counter'),
        k app.kind DEFAULT 'b',
        CHECK (k <> 'a')
      );
      CREATE INDEX things_twice ON app.things (app.twice(n)) WHERE k = 'b';
    `);
    const expected = {
      default: ['app.twice(21)', "nextval('app.counter'::regclass)", "'b'"],
      check: "(k <> 'a'::app.kind)",
      key: 'app.twice(n)',
      where: "(k = 'b'::app.kind)",
    };
    for (const searchPath of ['public', 'app, public', '"$user", public']) {
      await fixture.client.query(`SET search_path = ${searchPath}`);
      const things = tableOf(await introspect(fixture.client), 'things', 'app');
      expect({
        default: things.columns.map((c) => c.default),
        check: things.checks[0]!.expression,
        key: things.indexes[0]!.keys[0]!.expression,
        where: things.indexes[0]!.where,
      }).toEqual(expected);
      expect((await fixture.client.query('SHOW search_path')).rows[0].search_path).toBe(searchPath);
    }
  });

  it('runs inside a caller\'s transaction without touching it, and refuses an aborted one', async () => {
    fixture = await databaseWith('CREATE TABLE t (id int)');
    const { client } = fixture;
    await client.query('BEGIN');
    await client.query('SET LOCAL search_path = pg_catalog');
    await client.query('CREATE TABLE public.inside_tx (id int)');
    const model = await introspect(client);
    expect(model.tables.map((t) => t.name)).toEqual(['inside_tx', 't']);
    expect(client.getTransactionStatus()).toBe('T');
    expect((await client.query('SHOW search_path')).rows[0].search_path).toBe('pg_catalog');
    for (let attempt = 0; attempt < 2; attempt++) {
      // Right after the failure pg may not know yet that the transaction is aborted; later it does.
      if (attempt === 0) await client.query('SELECT 1/0').catch(() => undefined);
      const error = await introspect(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgshiftError);
      expect((error as PgshiftError).code).toBe('DATABASE');
    }
    expect(client.getTransactionStatus()).toBe('E');
    await client.query('ROLLBACK');
    expect((await introspect(client)).tables.map((t) => t.name)).toEqual(['t']);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('reads an empty database', async () => {
    fixture = await databaseWith('');
    expect(await introspect(fixture.client)).toEqual({ schemas: ['public'], extensions: [], enums: [], tables: [] });
  });
});
