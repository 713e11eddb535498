/**
 * cookModel on what the server cannot cook: a bad expression stays raw and spoils nothing else; an
 * ordinary role with only the TEMP privilege cooks everything it can.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { cookModel } from '../../src/catalog';
import { PgshiftError } from '../../src/errors';
import { countQueries, databaseWith, type ConnectedDatabase } from './helpers';
import { column, columnKey, expressionKey, index, model, table } from './model-builders';

describe('cookModel failures', () => {
  let fixture: ConnectedDatabase | undefined;
  afterEach(async () => { await fixture?.close(); fixture = undefined; });

  it('leaves only the expressions the server rejects raw', async () => {
    fixture = await databaseWith(''); // no uuid-ossp, no citext
    const good = table('good', [
      column('price', 'numeric', { default: '0' }),
      column('currency', 'character varying(3)', { default: "'USD'" }),
    ], {
      checks: [{ name: 'price_ok', expression: '"price" >= 0' }],
      indexes: [index('good_idx', [expressionKey('lower("currency")')], '"price" > 0')],
    });
    const bad = table('bad', [
      column('id', 'uuid', { default: 'uuid_generate_v4()' }),
      column('at', 'timestamp with time zone', { default: 'CURRENT_TIMESTAMP' }),
      column('email', 'citext', { default: "'x'" }),
      column('n', 'integer', { default: '-1' }),
      column('nothing', 'text', { default: 'NULL' }),
      column('nothing_cast', 'integer', { default: 'NULL::integer' }),
    ], {
      checks: [
        { name: 'bad_fn', expression: 'no_such_function("n")' },
        { name: 'on_missing_type', expression: `"email" <> ''` },
        { name: 'good_one', expression: '"n" BETWEEN -10 AND 10' },
      ],
      indexes: [
        index('bad_where', [columnKey('n')], '"nope" IS NULL'),
        index('bad_key', [expressionKey('lower("email")')]),
        index('good_where', [columnKey('n')], '"n" > 0'),
      ],
    });
    const cooked = await cookModel(fixture.client, model([good, bad, { ...good, name: 'good_too' }]));

    const [goodCooked, badCooked, goodTooCooked] = cooked.tables;
    expect(goodCooked!.columns.map((c) => c.default)).toEqual(['0', "'USD'::character varying"]);
    expect(goodCooked!.checks[0]!.expression).toBe('(price >= (0)::numeric)');
    expect(goodCooked!.indexes[0]).toMatchObject({
      keys: [expressionKey('lower((currency)::text)')], where: '(price > (0)::numeric)',
    });
    expect(goodTooCooked).toEqual({ ...goodCooked, name: 'good_too' });
    // A NULL default is not stored, so it cooks to null — in the all-at-once path too.
    const nullDefaults = model([table('n', [column('a', 'text', { default: 'NULL' }), column('b', 'date', { default: "'2024-01-01'" })])]);
    expect((await cookModel(fixture.client, nullDefaults)).tables[0]!.columns.map((c) => c.default))
      .toEqual([null, "'2024-01-01'::date"]);

    expect(badCooked!.columns.map((c) => c.default)).toEqual([
      'uuid_generate_v4()', 'CURRENT_TIMESTAMP', "'x'", "'-1'::integer", null, null,
    ]);
    expect(badCooked!.checks.map((c) => c.expression)).toEqual([
      'no_such_function("n")', `"email" <> ''`, '((n >= '.concat("'-10'::integer) AND (n <= 10))"),
    ]);
    expect(badCooked!.indexes.map((i) => [i.keys, i.where])).toEqual([
      [[columnKey('n')], '"nope" IS NULL'],
      [[expressionKey('lower("email")')], null],
      [[columnKey('n')], '(n > 0)'],
    ]);
    expect(fixture.client.getTransactionStatus()).toBe('I');
  });

  it('finds every failing table among many, and cooks all the others', async () => {
    fixture = await databaseWith('');
    const bad = new Set([0, 4, 5, 10]);
    const tables = Array.from({ length: 11 }, (_, i) => table(`t${i}`, [column('n', 'integer', { default: '-1' })], {
      checks: [{ name: 'c', expression: bad.has(i) ? 'missing_fn("n")' : '"n" > -5' }],
    }));
    const cooked = await cookModel(fixture.client, model(tables));
    cooked.tables.forEach((t, i) => {
      expect(t.columns[0]!.default).toBe("'-1'::integer");
      expect(t.checks[0]!.expression).toBe(bad.has(i) ? 'missing_fn("n")' : "(n > '-5'::integer)");
    });
  });

  it('refuses, with a hint, where no temporary table can be created', async () => {
    const role = `pgshift_notemp_${randomBytes(4).toString('hex')}`;
    fixture = await databaseWith([`CREATE ROLE ${role} LOGIN PASSWORD 'plain'`]);
    await fixture.client.query(`REVOKE TEMP ON DATABASE "${fixture.db.name}" FROM PUBLIC`);
    const url = new URL(fixture.db.url);
    url.username = role;
    url.password = 'plain';
    const plain = new Client({ connectionString: url.toString() });
    await plain.connect();
    try {
      const error = await cookModel(plain, model([table('t', [column('n', 'integer', { default: '-1' })])])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgshiftError);
      expect((error as PgshiftError).code).toBe('DATABASE');
      expect((error as PgshiftError).hint).toContain('TEMP');
      expect(plain.getTransactionStatus()).toBe('I');
    } finally {
      await plain.end();
      await fixture.client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => undefined);
    }
  });

  it('returns a model without tables as it is, without a round trip', async () => {
    fixture = await databaseWith('');
    const empty = model([], { enums: [{ schema: 'public', name: 'e', values: ['a'] }] });
    const { result, queries } = await countQueries(fixture.client, () => cookModel(fixture!.client, empty));
    expect(result).toBe(empty);
    expect(queries).toBe(0);
  });

  it('works for an ordinary role with only the TEMP privilege', async () => {
    const role = `pgshift_plain_${randomBytes(4).toString('hex')}`;
    fixture = await databaseWith([
      "CREATE TYPE mood AS ENUM ('sad', 'ok')",
      `CREATE ROLE ${role} LOGIN PASSWORD 'plain'`,
      // What PG 15 grants by default; stated so the test means the same on every server.
      `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    ]);
    const url = new URL(fixture.db.url);
    url.username = role;
    url.password = 'plain';
    const plain = new Client({ connectionString: url.toString() });
    await plain.connect();
    try {
      const entities = model([table('t', [
        column('m', '', { enumType: { schema: 'public', name: 'mood' }, default: "'ok'" }),
        column('s', '', { enumType: { schema: 'sales', name: 'stage' }, default: "'new'" }),
        column('at', 'timestamp without time zone', { default: "(now() at time zone 'utc')" }),
      ], {
        checks: [
          { name: 'm_ok', expression: `"m" <> 'sad'` },
          { name: 's_new', expression: `"s" <> 'lost'` },
        ],
      })], { enums: [
        { schema: 'public', name: 'mood', values: ['sad', 'ok'] },
        { schema: 'sales', name: 'stage', values: ['new', 'lost'] },
      ] });
      const cooked = await cookModel(plain, entities);
      const t = cooked.tables[0]!;
      // Enum defaults are never cooked; an existing enum type cooks; one the role may not create stays raw.
      expect(t.columns.map((c) => c.default)).toEqual(["'ok'", "'new'", "(now() AT TIME ZONE 'utc'::text)"]);
      expect(t.checks.map((c) => c.expression)).toEqual(["(m <> 'sad'::mood)", `"s" <> 'lost'`]);
      const leftovers = await fixture.client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'sales'");
      expect(leftovers.rows[0].n).toBe(0);
    } finally {
      await plain.end();
      await fixture.client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => undefined);
    }
  });
});
