/** Migration folders written to a temp dir, and runner options for a test database. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerEvent } from '../../src/runner/events';
import type { RunnerOptions } from '../../src/runner/options';
import type { TestDatabase } from '../helpers/db';

export interface MigrationsFolder {
  readonly dir: string;
  /** Writes `<version padded to 6>_<slug>.<direction>.sql`. */
  write(version: number, slug: string, up: string, down?: string): void;
  remove(): void;
}

export function migrationsFolder(): MigrationsFolder {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-runner-'));
  return {
    dir,
    write(version, slug, up, down) {
      const base = `${String(version).padStart(6, '0')}_${slug}`;
      writeFileSync(join(dir, `${base}.up.sql`), up);
      if (down !== undefined) writeFileSync(join(dir, `${base}.down.sql`), down);
    },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

export function runnerOptions(db: TestDatabase, folder: MigrationsFolder, extra: Partial<RunnerOptions> = {}): RunnerOptions & { events: RunnerEvent[] } {
  const events: RunnerEvent[] = [];
  return { databaseUrl: db.url, dir: folder.dir, retryBaseDelayMs: 50, lockPollMs: 50, onEvent: (e) => events.push(e), events, ...extra };
}

/** Polls the runner's events until one matches (the runner reports each step as it happens). */
export async function untilEvent(events: readonly RunnerEvent[], match: (e: RunnerEvent) => boolean, ms = 30_000): Promise<RunnerEvent> {
  const until = Date.now() + ms;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no matching runner event within ${ms} ms; had ${events.map((e) => e.kind).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function versionRows(db: TestDatabase): Promise<Array<{ version: number; dirty: boolean }>> {
  const rows = await db.query<{ version: string; dirty: boolean }>('SELECT version::text, dirty FROM schema_migrations');
  return rows.map((r) => ({ version: Number(r.version), dirty: r.dirty }));
}

export async function tableNames(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'pgshift_migrations') ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

/** Three migrations: tables a, b, c. */
export function writeAbc(folder: MigrationsFolder): void {
  folder.write(1, 'create_a', 'CREATE TABLE a (id int);', 'DROP TABLE a;');
  folder.write(2, 'create_b', 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);', 'DROP TABLE b;');
  folder.write(3, 'create_c', 'CREATE TABLE c (id int);', 'DROP TABLE c;');
}
