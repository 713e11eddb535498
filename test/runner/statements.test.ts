/** Statement splitting and classification: comments and quotes must not fool it. Pure, no database. */
import { describe, expect, it } from 'vitest';
import { analyzeMigrationSql, splitStatements } from '../../src/runner/statements';
import { advisoryLockId, golangMigrateLockIds } from '../../src/runner/lock-id';
import { planSteps } from '../../src/runner/plan';
import type { Migration } from '../../src/migrations-dir/files';

const count = (sql: string) => splitStatements(sql).length;

describe('splitStatements', () => {
  it('ignores ; inside comments, strings, quoted identifiers and dollar quotes', () => {
    expect(count('SELECT 1; SELECT 2;')).toBe(2);
    expect(count("SELECT 'a;b'; -- x; y\nSELECT 2 /* ; /* nested ; */ ; */;")).toBe(2);
    expect(count('SELECT "we;ird"; SELECT E\'it\\\'s;\';')).toBe(2);
    expect(count('DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;')).toBe(1);
    expect(count('DO $body$ BEGIN RAISE NOTICE $$;$$; END $body$; SELECT 1')).toBe(2);
    expect(count("SELECT 'it''s; fine'")).toBe(1);
    expect(count('SELECT a$b$c FROM t; SELECT $1;')).toBe(2);
    expect(count('-- only a comment\n/* and another */')).toBe(0);
    expect(count(';;')).toBe(0);
  });

  it('keeps a BEGIN ATOMIC function body in one statement', () => {
    const sql = `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC
      SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END; SELECT 3;`;
    expect(count(sql)).toBe(2);
  });
});

describe('analyzeMigrationSql', () => {
  it('treats ordinary multi-statement files as transactional', () => {
    const a = analyzeMigrationSql("SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c int;\n-- CREATE INDEX CONCURRENTLY in a comment\nSELECT 'VACUUM';");
    expect(a.transactional).toBe(true);
    expect(a.problem).toBeNull();
  });

  it('recognises non-transactional statements and reads the index and table of a concurrent build', () => {
    const a = analyzeMigrationSql('-- header\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Users_Email" ON ONLY public."Users" (email);\n');
    expect(a.transactional).toBe(false);
    expect(a.statementKind).toEqual({ kind: 'create-index-concurrently', index: 'Users_Email', table: 'public."Users"' });
    expect(analyzeMigrationSql('create index concurrently idx_T on T (x)').statementKind).toEqual({ kind: 'create-index-concurrently', index: 'idx_t', table: 'T' });
    for (const sql of [
      'DROP INDEX CONCURRENTLY i;',
      'REINDEX (VERBOSE) INDEX CONCURRENTLY i;',
      'VACUUM (ANALYZE) t;',
      'DO $$ BEGIN LOOP UPDATE t SET x = 1; COMMIT; EXIT; END LOOP; END $$;',
      '-- pgshift:no-transaction\nUPDATE t SET x = 1;',
    ]) {
      expect(analyzeMigrationSql(sql).transactional, sql).toBe(false);
    }
    expect(analyzeMigrationSql("DO $$ BEGIN RAISE NOTICE 'COMMIT'; END $$;").transactional).toBe(true);
    // PG 12+ runs ADD VALUE inside a transaction; pgshift's enum files carry SET LOCAL timeouts with it.
    expect(analyzeMigrationSql("SET LOCAL lock_timeout = '2s';\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' AFTER 'ok';").transactional).toBe(true);
  });

  it('refuses a non-transactional statement that shares its file', () => {
    const a = analyzeMigrationSql("SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY i ON t (x);");
    expect(a.problem).toMatch(/CREATE INDEX CONCURRENTLY \(statement 2 of 2\) must run outside a transaction.*2 statements/);
    expect(analyzeMigrationSql('-- pgshift:no-transaction\nSELECT 1; SELECT 2;').problem).toMatch(/no-transaction header/);
  });
});

describe('golang-migrate advisory lock id', () => {
  it('matches golang-migrate for database app, schema public', () => {
    expect(advisoryLockId('app', 'public')).toBe(346699726);
    // The migrate CLI hashes the URL path with its slash; both ids are taken.
    expect(advisoryLockId('/app', 'public')).toBe(257547563);
    expect(golangMigrateLockIds('app', 'public', 'postgres://u:p@h:5432/app?sslmode=disable')).toEqual([257547563, 346699726]);
    expect(golangMigrateLockIds('app', 'public', 'postgres://u:p@h:5432')).toEqual([346699726]);
  });
});

describe('planSteps', () => {
  const file = (version: number, direction: string) => ({ version, title: 't', path: `/x/${version}.${direction}`, fileName: `${version}_t.${direction}.sql` });
  const migrations: Migration[] = [1, 3, 7].map((v) => ({ version: v, title: 't', up: file(v, 'up'), down: file(v, 'down') }));

  it('writes target versions like golang-migrate', () => {
    expect(planSteps(migrations, -1, { kind: 'up', limit: null }).steps.map((s) => [s.version, s.targetVersion, s.fromVersion])).toEqual([[1, 1, -1], [3, 3, 1], [7, 7, 3]]);
    expect(planSteps(migrations, 7, { kind: 'down', limit: null }).steps.map((s) => [s.version, s.targetVersion])).toEqual([[7, 3], [3, 1], [1, -1]]);
    expect(planSteps(migrations, 7, { kind: 'goto', version: 1 }).steps.map((s) => s.version)).toEqual([7, 3]);
    expect(planSteps(migrations, 1, { kind: 'goto', version: 7 }).steps.map((s) => s.version)).toEqual([3, 7]);
    expect(planSteps(migrations, 3, { kind: 'goto', version: 3 }).steps).toEqual([]);
    expect(planSteps(migrations, -1, { kind: 'down', limit: null }).steps).toEqual([]);
    expect(planSteps(migrations, 3, { kind: 'down', limit: 5 }).shortBy).toBe(3);
  });

  it('refuses to revert a version without a down file', () => {
    const noDown: Migration[] = [{ version: 1, title: 't', up: file(1, 'up'), down: null }];
    expect(() => planSteps(noDown, 1, { kind: 'down', limit: 1 })).toThrow(/no down file/);
  });
});
