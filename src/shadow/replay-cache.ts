/**
 * Replays on the warm server without replaying history that did not change. After a replay, the
 * result is kept as a template database named by a hash chained over the folder's files in order
 * (version, file name and a hash of each up file's text): `pgshift_tpl_<hash of files 1..k>`. A run
 * clones the template of the longest cached prefix of its folder and replays only the files after it.
 *
 * Why the cache can never make a failing folder pass: a template exists only for a prefix whose replay
 * succeeded, and its name covers every byte of every file in it — an edit, insertion, removal or
 * renumbering of an earlier file changes every later hash, so the run replays from that file, and fails
 * where a full replay would. What a hash cannot see is state outside the database, so:
 * - a replay that leaves session state behind (a plain `SET`, a temporary table — golang-migrate runs
 *   later files in the same session) is not kept: a later file might depend on it;
 * - a replay that changes the server's shared state (roles, tablespaces, per-role or per-database
 *   settings, other databases) is not kept either, and the server is reset before the next run, since
 *   a later replay would see what a fresh server does not have.
 *
 * Databases of runs whose process is gone (`pgshift_run_<pid>_…`, `pgshift_bld_<pid>_…`) are dropped by
 * the next run; at most MAX_TEMPLATES templates are kept, the newest.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { connect } from '../db/connect';
import { PgshiftError } from '../errors';
import type { Migration } from '../migrations-dir/files';
import { prefixHashes } from './prefix-hashes';
import { ident } from '../sql/quote';
import { isAlive } from './file-lock';
import { replayMigrations } from './replay';

const TEMPLATE_PREFIX = 'pgshift_tpl_';
const MAX_TEMPLATES = 16;
const OWN_DATABASE = /^pgshift_(run|bld)_(\d+)_[0-9a-f]+$/;

export interface WarmDatabase {
  readonly client: Client;
  /** Whether this run's replay changed the server's shared state (the server must be reset). */
  readonly tainted: boolean;
  /**
   * Whether the database is a clone of a kept replay (so it left neither session nor shared state, and
   * the same files replay to the same catalog on this server version): only then may a run cache what it reads.
   */
  readonly cleanReplay: boolean;
  /** Drops the run's database. */
  close(): Promise<void>;
}

const templateName = (hash: string) => `${TEMPLATE_PREFIX}${hash}`;
const ownName = (kind: 'run' | 'bld') => `pgshift_${kind}_${process.pid}_${randomBytes(4).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** What a fresh cluster holds besides databases: anything more was left by a replay. */
const SHARED_STATE = `SELECT
  (SELECT count(*) FROM pg_roles WHERE rolname <> 'postgres' AND rolname !~ '^pg_')
  + (SELECT count(*) FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global'))
  + (SELECT count(*) FROM pg_db_role_setting)
  + (SELECT count(*) FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1') AND datname !~ '^pgshift_(tpl|run|bld)_')
  AS extra`;

/** Session state a later file could depend on: settings changed with SET, temporary objects. */
const SESSION_STATE = `SELECT
  (SELECT count(*) FROM pg_settings WHERE source = 'session')
  + (SELECT count(*) FROM pg_class WHERE relpersistence = 't')
  + (SELECT count(*) FROM pg_prepared_statements)
  AS extra`;

async function count(client: Client, sql: string): Promise<number> {
  return Number((await client.query<{ extra: string }>(sql)).rows[0]!.extra);
}

export async function sharedStateIsClean(admin: Client): Promise<boolean> {
  return (await count(admin, SHARED_STATE)) === 0;
}

async function dropDatabase(admin: Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

/** Drops databases of runs that are gone, and the oldest templates beyond MAX_TEMPLATES; returns the templates left. */
async function tidy(admin: Client): Promise<Set<string>> {
  const rows = (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\\_%' ORDER BY oid`)).rows;
  const templates = rows.map((r) => r.datname).filter((name) => name.startsWith(TEMPLATE_PREFIX));
  for (const { datname } of rows) {
    const own = OWN_DATABASE.exec(datname);
    if (own && !isAlive(Number(own[2]))) await dropDatabase(admin, datname);
  }
  for (const old of templates.slice(0, Math.max(0, templates.length - MAX_TEMPLATES))) await dropDatabase(admin, old);
  return new Set(templates.slice(-MAX_TEMPLATES));
}

/** CREATE DATABASE … TEMPLATE; false when the template vanished meanwhile (pruned by another run). */
async function cloneDatabase(admin: Client, name: string, template: string): Promise<boolean> {
  try {
    await admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false;
    throw error;
  }
}

/**
 * Replays the files after `base` (files 1..baseCount) into a new database. Kept as the template of
 * the whole folder when nothing outside the database changed; otherwise it is the run's own database.
 */
async function buildAndReplay(admin: Client, adminUrl: string, migrations: readonly Migration[], hashes: readonly string[], base: { template: string; count: number }) {
  const building = ownName('bld');
  if (!(await cloneDatabase(admin, building, base.template))) return null;
  let client: Client | undefined;
  try {
    client = await connect(withDatabase(adminUrl, building), 'pgshift-shadow');
    await replayMigrations(client, migrations.slice(base.count));
    const sessionClean = (await count(client, SESSION_STATE)) === 0;
    const sharedClean = await sharedStateIsClean(admin);
    if (!sessionClean || !sharedClean || hashes.length === 0) return { name: building, client, kept: false, tainted: !sharedClean };
    await client.end();
    client = undefined;
    const template = templateName(hashes[hashes.length - 1]!);
    await admin.query(`ALTER DATABASE ${ident(building)} WITH ALLOW_CONNECTIONS false`);
    try {
      await admin.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(template)}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42P04') throw error; // another run kept the same prefix meanwhile
      await dropDatabase(admin, building);
    }
    return { name: template, client: undefined, kept: true, tainted: false };
  } catch (error) {
    await client?.end().catch(() => undefined);
    await dropDatabase(admin, building).catch(() => undefined);
    throw error;
  }
}

/** A database on the warm server holding the replay of `migrations`; a failing file throws REPLAY as a full replay would. */
export async function openWarmDatabase(adminUrl: string, migrations: readonly Migration[]): Promise<WarmDatabase> {
  const admin = await connect(adminUrl, 'pgshift-shadow');
  let runName: string | undefined;
  let runClient: Client | undefined;
  try {
    if (!(await sharedStateIsClean(admin))) throw new Error('the warm shadow server holds shared state a replay left');
    const hashes = prefixHashes(migrations);
    let tainted = false;
    let cleanReplay = false;
    for (let attempt = 0; attempt < 3 && runClient === undefined; attempt += 1) {
      const templates = await tidy(admin);
      let count = hashes.length;
      while (count > 0 && !templates.has(templateName(hashes[count - 1]!))) count -= 1;
      let template = count > 0 ? templateName(hashes[count - 1]!) : 'template1';
      if (count < hashes.length) {
        const built = await buildAndReplay(admin, adminUrl, migrations, hashes, { template, count });
        if (built === null) continue; // the base template was pruned meanwhile: look again
        tainted = built.tainted;
        if (!built.kept) {
          runName = built.name;
          runClient = built.client;
          break;
        }
        template = built.name;
      }
      const name = ownName('run');
      if (!(await cloneDatabase(admin, name, template))) continue;
      runName = name;
      cleanReplay = true;
      runClient = await connect(withDatabase(adminUrl, name), 'pgshift-shadow');
    }
    if (runClient === undefined || runName === undefined) throw new Error('the cached replays kept vanishing');
    const client = runClient;
    const name = runName;
    return {
      client,
      tainted,
      cleanReplay,
      async close() {
        await client.end().catch(() => undefined);
        try {
          await dropDatabase(admin, name);
        } finally {
          await admin.end().catch(() => undefined);
        }
      },
    };
  } catch (error) {
    await runClient?.end().catch(() => undefined);
    if (runName) await dropDatabase(admin, runName).catch(() => undefined);
    await admin.end().catch(() => undefined);
    throw error;
  }
}

export function isReplayError(error: unknown): boolean {
  return error instanceof PgshiftError && error.code === 'REPLAY';
}
