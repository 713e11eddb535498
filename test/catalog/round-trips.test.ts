/**
 * introspect and cookModel cost one round trip each, whatever the number of tables.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import type { SchemaModel } from '../../src/model/schema';
import { countQueries, databaseWith, withoutGiven, type ConnectedDatabase } from './helpers';

/** `count` related tables, each with defaults, a CHECK, a partial expression index and an enum column. */
function schemaSql(count: number): string {
  const tables = Array.from({ length: count }, (_, i) => `
    CREATE TABLE t${i} (
      id serial PRIMARY KEY,
      parent_id integer ${i > 0 ? `REFERENCES t${i - 1} (id)` : ''},
      name varchar(50) NOT NULL DEFAULT 'n${i}',
      state state DEFAULT 'on',
      at timestamp DEFAULT (now() at time zone 'utc'),
      CHECK (char_length(name) > ${i % 5})
    );
    CREATE INDEX t${i}_live ON t${i} (lower(name)) WHERE state = 'on';`);
  return `CREATE TYPE state AS ENUM ('on', 'off');${tables.join('\n')}`;
}

/** The entity side's raw spelling of what schemaSql created. */
function uncooked(model: SchemaModel): SchemaModel {
  return {
    ...model,
    tables: model.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'at' ? { ...c, default: "(now() at time zone 'utc')" } : c)),
      checks: t.checks.map((c) => ({ ...c, expression: c.expression.replace('(char_length((name)::text) > ', 'char_length("name") > ').replace(/\)$/, '') })),
      indexes: t.indexes.map((i) => ({ ...i, where: `"state" = 'on'`, keys: [{ ...i.keys[0]!, expression: 'lower("name")' }] })),
    })),
  };
}

describe('round trips', () => {
  let fixture: ConnectedDatabase | undefined;
  afterEach(async () => { await fixture?.close(); fixture = undefined; });

  for (const count of [3, 60]) {
    it(`introspect and cookModel make one query each for ${count} tables`, async () => {
      fixture = await databaseWith(schemaSql(count));
      const read = await countQueries(fixture.client, () => introspect(fixture!.client));
      expect(read.result.tables).toHaveLength(count);
      expect(read.queries).toBe(1);

      const raw = uncooked(read.result);
      expect(raw).not.toEqual(read.result);
      const cooked = await countQueries(fixture.client, () => cookModel(fixture!.client, raw));
      expect(cooked.queries).toBe(1);
      expect(withoutGiven(cooked.result)).toEqual(read.result);
    });
  }
});
