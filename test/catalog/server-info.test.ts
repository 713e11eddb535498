/**
 * serverVersionNum and estimateRows on a real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { estimateRows, serverVersionNum } from '../../src/catalog';
import { countQueries, databaseWith, type ConnectedDatabase } from './helpers';

describe('server info', () => {
  let fixture: ConnectedDatabase | undefined;
  afterEach(async () => { await fixture?.close(); fixture = undefined; });

  it('reads server_version_num', async () => {
    fixture = await databaseWith('');
    const version = await serverVersionNum(fixture.client);
    const shown = (await fixture.client.query('SHOW server_version_num')).rows[0].server_version_num;
    expect(version).toBe(Number(shown));
    expect(version).toBeGreaterThanOrEqual(150000);
  });

  it('estimates rows from statistics in one query, never scanning a table', async () => {
    fixture = await databaseWith([
      `CREATE SCHEMA "Other";
       CREATE TABLE analyzed AS SELECT g AS id FROM generate_series(1, 1000) g;
       CREATE TABLE "Other"."Never analyzed" AS SELECT g AS id, repeat('x', 100) AS pad FROM generate_series(1, 2000) g;
       CREATE TABLE empty (id int);
       CREATE TABLE parted (id int) PARTITION BY RANGE (id);
       CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (500);
       CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (500) TO (10000);
       INSERT INTO parted SELECT g FROM generate_series(1, 1500) g;`,
      'ANALYZE analyzed; ANALYZE empty; ANALYZE parted;',
    ]);
    const wanted = [
      { schema: 'public', name: 'analyzed' },
      { schema: 'Other', name: 'Never analyzed' },
      { schema: 'public', name: 'empty' },
      { schema: 'public', name: 'parted' },
      { schema: 'public', name: 'missing' },
    ];
    const { result, queries } = await countQueries(fixture.client, () => estimateRows(fixture!.client, wanted));
    expect(queries).toBe(1);
    expect(result.get('public.analyzed')).toBe(1000);
    expect(result.get('public.empty')).toBe(0);
    expect(result.get('public.parted')).toBe(1500);
    expect(result.has('public.missing')).toBe(false);
    // Unknown statistics: a heap-size estimate, of the right order of magnitude, never zero.
    expect(result.get('Other.Never analyzed')).toBeGreaterThan(500);
    expect(result.get('Other.Never analyzed')).toBeLessThan(20000);
    expect(await estimateRows(fixture.client, [])).toEqual(new Map());
  });
});
