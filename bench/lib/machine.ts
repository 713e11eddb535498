/** Facts about the machine and the checkout, recorded next to every result so runs can be compared. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { serverVersion } from './admin-db';

export interface MachineFacts {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly postgres: string;
  readonly typeorm: string;
  readonly commit: string;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function machineFacts(adminUrl: string): Promise<MachineFacts> {
  // typeorm's `exports` hides its package.json; read it by path.
  const typeormPackage = join(REPO_ROOT, 'node_modules', 'typeorm', 'package.json');
  const typeormVersion = (JSON.parse(readFileSync(typeormPackage, 'utf8')) as { version: string }).version;
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: await serverVersion(adminUrl),
    typeorm: typeormVersion,
    commit: gitCommit(),
  };
}
