/** Runs the real CLI (`bin/pgshift.js`, built dist/) as a child process, as a user would. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { inject } from 'vitest';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const BIN = resolve(REPO_ROOT, 'bin', 'pgshift.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The shadow of every CLI run is a throwaway database on the suite's running server (PGSHIFT_SHADOW_URL),
 * not an embedded server started per command: starting one costs seconds and is the same code each time.
 * A test about the embedded shadow itself passes `env: { PGSHIFT_SHADOW_URL: undefined }`.
 */
function cliEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PGSHIFT_SHADOW_URL: inject('pgAdminUrl'), ...extra };
  // An explicit `undefined` means "not set at all".
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env = cliEnv(options.env);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
