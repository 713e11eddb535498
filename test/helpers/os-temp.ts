/**
 * The machine's own temp folder. A test run moves TMPDIR to a folder of its own on tmpfs (see
 * test/global-setup.ts) and removes it at the end; what must outlast the run (a download cache) or sit on
 * the repository's filesystem (hard links to it) goes here instead.
 */
import { tmpdir } from 'node:os';

export const OS_TEMP_ENV = 'PGSHIFT_TEST_OS_TMPDIR';

export function osTempDir(): string {
  return process.env[OS_TEMP_ENV] ?? tmpdir();
}
