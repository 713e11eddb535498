/**
 * Schema-per-tenant: `gen diff --schema-per-tenant` writes the sample app's folder with unqualified
 * names, the shadow checks that folder once, and `up --fleet` applies it to 20 tenant schemas of one
 * database through golang-migrate's `?search_path=` URL option — each schema with its own
 * schema_migrations and checksums, nothing in public.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { runCli } from '../helpers/cli';

const tenantUrl = (db: TestDatabase, schema: string, extra = '') => {
  const url = new URL(db.url);
  url.searchParams.set('search_path', schema);
  return `${url.toString()}${extra}`;
};

describe('20 tenant schemas in one database', () => {
  let db: TestDatabase;
  let dir: string;
  const tenants = Array.from({ length: 20 }, (_, i) => `tenant_${String(i + 1).padStart(2, '0')}`);
  beforeAll(async () => {
    db = await createTestDatabase('pgshift_tenants');
    for (const t of tenants) await db.query(`CREATE SCHEMA ${t}`);
    dir = mkdtempSync(join(tmpdir(), 'pgshift-tenants-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes unqualified files, checks them once, and applies them to every schema', async () => {
    const migrations = join(dir, 'migrations');
    const gen = await runCli(['gen', 'diff', 'init', '--create-dir', '--schema-per-tenant', '-d', migrations]);
    expect(gen.code, gen.stderr).toBe(0);
    const up = readFileSync(join(migrations, readdirSync(migrations).find((f) => f.endsWith('.up.sql'))!), 'utf8');
    expect(up).toContain('CREATE TABLE "users"');
    expect(up).not.toContain('"public"');
    const check = await runCli(['check', '-d', migrations]);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const inventory = join(dir, 'tenants.txt');
    // golang-migrate URLs, one with its (default) x-migrations-table spelled out.
    writeFileSync(inventory, tenants.map((t, i) => tenantUrl(db, t, i === 0 ? '&x-migrations-table=schema_migrations' : '')).join('\n'));
    const run = await runCli(['up', '--fleet', inventory, '-d', migrations, '--concurrency', '4', '--report', join(dir, 'report.json')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { summary: Record<string, number>; targets: Array<{ id: string }> };
    expect(report.summary).toMatchObject({ total: 20, applied: 20 });
    expect(report.targets[3]!.id).toMatch(/\/tenant_04$/);

    const tables = await db.query<{ schema: string; n: number }>(
      "SELECT schemaname AS schema, count(*)::int AS n FROM pg_tables WHERE schemaname LIKE 'tenant_%' OR schemaname = 'public' GROUP BY 1 ORDER BY 1",
    );
    // users, assets, asset_prices, exchange_rates + schema_migrations + pgshift_migrations in each tenant; nothing in public.
    expect(tables).toEqual(tenants.map((t) => ({ schema: t, n: 6 })));
    expect(await db.query('SELECT version::int, dirty FROM tenant_07.schema_migrations')).toEqual([{ version: 1, dirty: false }]);
    expect(await db.query('SELECT count(*)::int AS n FROM tenant_13.pgshift_migrations')).toEqual([{ n: 1 }]);

    const status = await runCli(['status', '--fleet', inventory, '-d', migrations]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('20 targets · folder at 1 · versions: 1 ×20 · no skew');
    // The single-target commands honour search_path too.
    const one = await runCli(['version', '--database-url', tenantUrl(db, 'tenant_20')]);
    expect(one.stdout.trim()).toBe('1');
  }, 180_000);

  it('refuses an x-migrations-table pgshift would not use', async () => {
    const result = await runCli(['up', '--database-url', tenantUrl(db, 'tenant_01', '&x-migrations-table=versions'), '-d', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('x-migrations-table=versions is not supported');
  });
});
