/** The few git questions `rebase` asks, through the git CLI (the user's own git, config and refs). */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { PgshiftError } from '../errors';

function git(cwd: string, args: readonly string[]): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function gitText(cwd: string, args: readonly string[]): string | null {
  try {
    return git(cwd, args).toString('utf8').trim();
  } catch {
    return null;
  }
}

export function repositoryRoot(dir: string): string {
  const root = gitText(dir, ['rev-parse', '--show-toplevel']);
  if (root === null) {
    throw new PgshiftError('USAGE', `${dir} is not inside a git repository`, { hint: 'pgshift rebase compares this branch with its base branch in git' });
  }
  return realpathSync(root);
}

/** The folder's path inside the repository, with `/` separators (what git's pathspecs take). */
export function pathInRepository(root: string, dir: string): string {
  return relative(root, realpathSync(dir)).split(sep).join('/');
}

/** --base, else the branch's upstream, else main. */
export function resolveBase(root: string, base: string | undefined): string {
  const candidate = base ?? gitText(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']) ?? 'main';
  if (gitText(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]) === null) {
    throw new PgshiftError('USAGE', `no git ref ${candidate}`, { hint: base ? 'pass an existing branch or commit with --base' : 'this branch has no upstream and there is no main: pass --base <branch>' });
  }
  return candidate;
}

/** Paths (relative to `folder`) of every file under `folder` at `ref`. */
export function filesAt(root: string, ref: string, folder: string): string[] {
  const prefix = folder === '' ? '' : `${folder}/`;
  const listing = gitText(root, ['ls-tree', '-r', '--name-only', '-z', ref, '--', prefix || '.']);
  if (listing === null) return [];
  return listing.split('\0').filter((p) => p.startsWith(prefix) && p.length > prefix.length).map((p) => p.slice(prefix.length));
}

export function fileAt(root: string, ref: string, path: string): Buffer {
  return git(root, ['show', `${ref}:${path}`]);
}
