/** The fleet's pure parts: inventory parsing, sharding, the scheduler's canary / stop / per-host cap, URL options. */
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/fleet/inventory';
import { schedule } from '../../src/fleet/scheduler';
import { parseShard, selectShard } from '../../src/fleet/shard';
import { targetConnection } from '../../src/db/golang-migrate-url';
import { PgshiftError } from '../../src/errors';

const urls = (n: number) => Array.from({ length: n }, (_, i) => `postgres://u@h${i % 3}:5432/db${i}`);

describe('inventory', () => {
  it('reads one URL per line with comments and optional ids', () => {
    const targets = parseInventory('# tenants\npostgres://u:pw@a:5432/one\n\nt2 postgres://u@b/two  # second\n', 'inv.txt');
    expect(targets).toEqual([{ id: 'a:5432/one', url: 'postgres://u:pw@a:5432/one' }, { id: 't2', url: 'postgres://u@b/two' }]);
  });
  it('reads JSON arrays of URLs or {id, url}, and {targets}', () => {
    expect(parseInventory('["postgres://a/x"]', 'i.json')).toEqual([{ id: 'a:5432/x', url: 'postgres://a/x' }]);
    expect(parseInventory('{"targets":[{"id":7,"url":"postgres://a/x"}]}', 'i.json')).toEqual([{ id: '7', url: 'postgres://a/x' }]);
  });
  it('refuses duplicate ids and empty inventories', () => {
    expect(() => parseInventory('postgres://a/x\npostgres://a/x\n', 'i')).toThrow(/appears twice/);
    expect(() => parseInventory('# nothing\n', 'i')).toThrow(/no targets/);
  });
  it('names tenants of one database by schema', () => {
    const targets = parseInventory('postgres://a/x?search_path=t1\npostgres://a/x?search_path=t2\n', 'i');
    expect(targets.map((t) => t.id)).toEqual(['a:5432/x/t1', 'a:5432/x/t2']);
  });
});

describe('shards', () => {
  it('1/3…3/3 cover every target exactly once, whatever order each process read them in', () => {
    const targets = parseInventory(urls(50).join('\n'), 'i');
    const shuffled = [...targets].reverse();
    const seen = [1, 2, 3].flatMap((i) => selectShard(i === 2 ? shuffled : targets, parseShard(`${i}/3`)).map((t) => t.id));
    expect(seen).toHaveLength(50);
    expect(new Set(seen).size).toBe(50);
  });
  it('refuses a bad shard', () => {
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(PgshiftError);
  });
});

describe('scheduler', () => {
  const jobs = (n: number, host = (i: number) => `h${i % 2}`) => Array.from({ length: n }, (_, i) => ({ item: i, host: host(i) }));

  it('a failing canary stops the rest', async () => {
    const ran: number[] = [];
    const results = await schedule(jobs(6), async (i) => { ran.push(i); return { ok: i !== 1, value: i }; }, { concurrency: 4, perHost: 4, canary: 2, maxFailures: 10 });
    expect(ran).toEqual([0, 1]);
    expect(results.slice(2).every((r) => r.kind === 'skipped' && /canary 2 of 2 failed/.test(r.reason))).toBe(true);
  });

  it('stops starting targets after more than --max-failures', async () => {
    const ran: number[] = [];
    const results = await schedule(jobs(10), async (i) => { ran.push(i); return { ok: false, value: i }; }, { concurrency: 1, perHost: 1, canary: 0, maxFailures: 2 });
    expect(ran).toEqual([0, 1, 2]);
    expect(results.filter((r) => r.kind === 'skipped')).toHaveLength(7);
  });

  it('never runs more than concurrency at once, nor more than perHost on one host', async () => {
    let active = 0; let peak = 0; const perHost = new Map<string, number>(); let hostPeak = 0;
    const list = jobs(20, (i) => (i < 15 ? 'busy' : `other${i}`));
    const results = await schedule(list, async (i) => {
      const host = list[i]!.host;
      active++; perHost.set(host, (perHost.get(host) ?? 0) + 1);
      peak = Math.max(peak, active); hostPeak = Math.max(hostPeak, perHost.get('busy') ?? 0);
      await new Promise((r) => setImmediate(r));
      active--; perHost.set(host, perHost.get(host)! - 1);
      return { ok: true, value: i };
    }, { concurrency: 4, perHost: 2, canary: 0, maxFailures: 0 });
    expect(results.every((r) => r.kind === 'ran')).toBe(true);
    expect(peak).toBe(4);
    expect(hostPeak).toBe(2);
  });
});

describe("golang-migrate's URL options", () => {
  it('turns search_path into a login option and drops x-migrations-table', () => {
    const c = targetConnection('postgres://u:pw@h:5432/app?search_path=tenant_7&x-migrations-table=schema_migrations&sslmode=disable');
    const url = new URL(c.url);
    expect(url.searchParams.get('options')).toBe('-c search_path=tenant_7');
    expect(url.searchParams.get('sslmode')).toBe('disable');
    expect(url.searchParams.has('search_path')).toBe(false);
    expect(c.schema).toBe('tenant_7');
  });
  it('refuses another version table name, without the password', () => {
    expect(() => targetConnection('postgres://u:secretpw@h/app?x-migrations-table=my_versions')).toThrow(/x-migrations-table=my_versions is not supported/);
    try { targetConnection('postgres://u:secretpw@h/app?x-migrations-table=my_versions'); } catch (e) { expect((e as Error).message).not.toContain('secretpw'); }
  });
  it('leaves a URL without options alone', () => {
    expect(targetConnection('postgres://u@h/app').url).toBe('postgres://u@h/app');
  });
});
