/**
 * An "old application" for the contract-gate tests: a separate process that keeps using the old shape
 * (writes through the old column, or only reads it) until it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../helpers/cli';

const SCRIPT = `
const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: process.env.OLD_APP_URL });
  await c.connect();
  const sql = JSON.parse(process.env.OLD_APP_SQL);
  for (let i = 0; ; i++) {
    for (const q of sql) await c.query(q.replace('$i', String(i)));
    if (i === 0) process.stdout.write('ready\\n');
    await new Promise((r) => setTimeout(r, 100));
  }
})().catch((e) => { process.stderr.write(String(e)); process.exit(1); });
`;

export interface OldApp {
  stop(): Promise<void>;
}

/** Starts the process, resolves once it has run `statements` once; they repeat every 100 ms. */
export async function startOldApp(url: string, statements: readonly string[]): Promise<OldApp> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT], {
    cwd: REPO_ROOT, env: { ...process.env, OLD_APP_URL: url, OLD_APP_SQL: JSON.stringify(statements) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
    child.on('exit', (code) => reject(new Error(`old application exited (${code}): ${stderr}`)));
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.removeAllListeners('exit');
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
