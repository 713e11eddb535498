/**
 * What test/global-setup.ts changes in the environment the whole run inherits (workers, CLI children),
 * and the machine's own values, kept for the tests that need them:
 * - TMPDIR: a folder of the run's own on tmpfs, removed at its end. What must outlast the run (a download
 *   cache) or sit on the repository's filesystem (hard links to it) uses osTempDir().
 * - NODE_EXTRA_CA_CERTS: unset. Reading a system CA bundle costs every Node process ~60 ms of CPU here
 *   (~500 CLI children per run); only npm's registry traffic needs it (withMachineCaCerts).
 */
import { tmpdir } from 'node:os';

const SAVED_TMPDIR = 'PGSHIFT_TEST_OS_TMPDIR';
const SAVED_CA_CERTS = 'PGSHIFT_TEST_NODE_EXTRA_CA_CERTS';

/** Called once by the global setup, before any worker or child starts. */
export function adoptRunEnv(runTempDir: string | undefined): void {
  if (runTempDir) {
    process.env[SAVED_TMPDIR] = tmpdir();
    process.env.TMPDIR = runTempDir;
  }
  const caCerts = process.env.NODE_EXTRA_CA_CERTS;
  if (caCerts) {
    process.env[SAVED_CA_CERTS] = caCerts;
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
}

/** The machine's temp folder (the OS's own, not the run's). */
export function osTempDir(): string {
  return process.env[SAVED_TMPDIR] ?? tmpdir();
}

/** `env` with the machine's extra CA certificates back, for a process that talks to the npm registry. */
export function withMachineCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const caCerts = process.env[SAVED_CA_CERTS];
  return caCerts ? { ...env, NODE_EXTRA_CA_CERTS: caCerts } : env;
}
