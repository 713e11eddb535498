/**
 * Applies a folder of golang-migrate `up` files the way golang-migrate does — each pending file's whole
 * text as one simple-protocol query, in version order, on one session, with `schema_migrations` set to
 * (version, dirty) before and (version, clean) after — plus what pgshift's runner adds: a lone
 * non-transactional statement (CONCURRENTLY, VACUUM, ADD VALUE, a COMMITting DO block) runs after
 * `SET lock_timeout = '2s'` (such files cannot carry their own SET), and a lock timeout is retried with
 * backoff a bounded number of times. A failing file stops the run and leaves the version dirty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface AppliedFile {
  readonly file: string;
  readonly ms: number;
  readonly retries: number;
  readonly nonTransactional: boolean;
  /** When the file started (epoch ms). */
  readonly startedAt?: number;
}

export interface MigrationRun {
  readonly ok: boolean;
  readonly totalMs: number;
  readonly files: AppliedFile[];
  readonly error?: string;
}

const LOCK_NOT_AVAILABLE = '55P03';
const MAX_RETRIES = 5;

const versionOf = (file: string) => Number(file.split('_')[0]);

async function setVersion(client: Client, version: number, dirty: boolean): Promise<void> {
  await client.query(`BEGIN; TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${version}, ${dirty}); COMMIT`);
}

async function currentVersion(client: Client): Promise<number> {
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations LIMIT 1');
  return rows.length === 0 ? -1 : Number(rows[0]!.version);
}

export function upFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^\d+_.*\.up\.sql$/.test(name))
    .sort((a, b) => versionOf(a) - versionOf(b));
}

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Statements that cannot run inside a transaction block, or files that say so in pgshift's header. */
export function isNonTransactional(sql: string): boolean {
  if (/^--\s*pgshift:no-transaction\b/m.test(sql)) return true;
  const code = withoutComments(sql);
  return /\bCONCURRENTLY\b/i.test(code)
    || /^\s*VACUUM\b/im.test(code)
    || /\bALTER\s+TYPE\b[\s\S]*\bADD\s+VALUE\b/i.test(code)
    || (/\bDO\b/i.test(code) && /\bCOMMIT\b/i.test(code));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `below`: apply only the files of versions below it (the expand before a backfill, for its baseline). */
export async function applyMigrationFiles(databaseUrl: string, dir: string, statementTimeoutMs: number, below = Number.POSITIVE_INFINITY): Promise<MigrationRun> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-migrate' });
  await client.connect();
  const files: AppliedFile[] = [];
  const started = Date.now();
  try {
    // A ceiling so a runaway statement cannot hang the benchmark; files that SET their own timeout win.
    await client.query(`SET statement_timeout = ${Math.round(statementTimeoutMs)}`);
    const applied = await currentVersion(client);
    for (const file of upFiles(dir).filter((f) => versionOf(f) > applied && versionOf(f) < below)) {
      const sql = readFileSync(join(dir, file), 'utf8');
      await setVersion(client, versionOf(file), true);
      const nonTransactional = isNonTransactional(sql);
      const t0 = Date.now();
      let retries = 0;
      for (;;) {
        try {
          if (nonTransactional) await client.query(`SET lock_timeout = '2s'`);
          await client.query(sql);
          break;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === LOCK_NOT_AVAILABLE && retries < MAX_RETRIES) {
            retries += 1;
            await sleep(250 * 2 ** retries + Math.random() * 250);
            continue;
          }
          files.push({ file, ms: Date.now() - t0, retries, nonTransactional, startedAt: t0 });
          return { ok: false, totalMs: Date.now() - started, files, error: `${file}: ${(error as Error).message}` };
        }
      }
      files.push({ file, ms: Date.now() - t0, retries, nonTransactional, startedAt: t0 });
      await setVersion(client, versionOf(file), false);
    }
    return { ok: true, totalMs: Date.now() - started, files };
  } finally {
    await client.end().catch(() => undefined);
  }
}
