/**
 * Which embedded shadow a run gets: the warm server (warm-shadow.ts) unless PGSHIFT_WARM_SHADOW=0 asks
 * for a throwaway server per run, on the target major's binaries when installed under its alias, else the
 * default ones. Kept apart from the servers themselves so that a run answered from its caches
 * (pipeline/state-cache.ts) can name its shadow without loading them.
 */
import { embeddedBinariesIdentity } from './embedded-install';
import { binariesForMajor } from './major-binaries';

export function warmShadowEnabled(): boolean {
  return !/^(0|off|false|no)$/i.test(process.env.PGSHIFT_WARM_SHADOW ?? '');
}

/** The target major's binaries when installed under its alias; undefined for the default server (18). */
export function aliasBinaries(major: number | undefined) {
  const binaries = major === undefined ? undefined : binariesForMajor(major);
  return binaries && !binaries.isDefault ? binaries : undefined;
}

/**
 * Which server binaries the embedded shadow of `major` runs, as a string (a cache key: the same files replay
 * to the same catalog on the same binaries); undefined when none is installed.
 */
export function embeddedShadowIdentity(major: number | undefined): string | undefined {
  const alias = aliasBinaries(major);
  if (alias) return `${alias.binDir}@${alias.version}`;
  return embeddedBinariesIdentity() ?? undefined;
}
