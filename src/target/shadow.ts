/**
 * The shadow target: the migrations folder replayed onto an embedded Postgres (the warm server of the
 * target's major when its binaries are installed, else a throwaway one) or onto a throwaway database on
 * the --shadow-url server.
 */
import type { Client } from 'pg';
import { connect } from '../db/connect';
import type { Migration } from '../migrations-dir/files';
import type { TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import { aliasBinaries } from '../shadow/embedded-choice';
import { startEmbeddedPostgres, type EmbeddedServer } from '../shadow/embedded';
import { startMajorServer } from '../shadow/major-server';
import { replayMigrations } from '../shadow/replay';
import { replayTypeormMigrations } from '../shadow/replay-typeorm';
import { createThrowawayDatabase } from '../shadow/url-shadow';
import { openWarmShadow } from '../shadow/warm-shadow';
import type { Target } from './target';

export interface ShadowOptions {
  /** The target's major: the embedded shadow runs its binaries when they are installed. */
  readonly major?: number;
  /** Use this server for the shadow instead of an embedded one. */
  readonly shadowUrl?: string;
  /** The folder holds TypeORM migration classes: replay them with TypeORM's own runner after the SQL files. */
  readonly typeormFiles?: readonly TypeormMigrationFile[];
}

/** A throwaway embedded server, when the warm one is unavailable (warm-shadow.ts). */
function startShadowServer(major: number | undefined): Promise<EmbeddedServer> {
  const binaries = aliasBinaries(major);
  return binaries ? startMajorServer(binaries) : startEmbeddedPostgres();
}

async function openUrlShadow(shadowUrl: string, migrations: readonly Migration[], typeormFiles: readonly TypeormMigrationFile[] | undefined): Promise<Target> {
  const database = await createThrowawayDatabase(shadowUrl);
  try {
    await replayMigrations(database.client, migrations);
    if (typeormFiles) await replayTypeormMigrations(database.url, typeormFiles);
  } catch (error) {
    await database.client.end().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
  return {
    mode: 'shadow',
    shadow: 'url',
    client: database.client,
    async close() {
      await database.client.end().catch(() => undefined);
      await database.drop();
    },
  };
}

export async function openShadowTarget(migrations: readonly Migration[], options: ShadowOptions = {}): Promise<Target> {
  if (options.shadowUrl) return openUrlShadow(options.shadowUrl, migrations, options.typeormFiles);
  // A TypeORM-format folder replays through TypeORM's runner, which the replay cache does not key
  // (yet): it keeps the throwaway server.
  const warm = options.typeormFiles ? null : await openWarmShadow(migrations, aliasBinaries(options.major));
  if (warm) return { mode: 'shadow', shadow: 'embedded', client: warm.client, cleanReplay: warm.cleanReplay, close: () => warm.close() };
  const server = await startShadowServer(options.major);
  let client: Client | undefined;
  try {
    client = await connect(server.url, 'pgshift-shadow');
    await replayMigrations(client, migrations);
    if (options.typeormFiles) await replayTypeormMigrations(server.url, options.typeormFiles);
  } catch (error) {
    await client?.end().catch(() => undefined);
    await server.stop();
    throw error;
  }
  const opened = client;
  return {
    mode: 'shadow',
    shadow: 'embedded',
    client: opened,
    async close() {
      await opened.end().catch(() => undefined);
      await server.stop();
    },
  };
}
