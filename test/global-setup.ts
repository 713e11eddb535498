/**
 * One Postgres server per test run: the embedded PG 18 by default, or the server at PGSHIFT_TEST_URL
 * (e.g. the machine's PG 15). Each test then creates its own database on it (test/helpers/db.ts).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/shadow/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** CLI tests run the built CLI: compile it once per run so they never test a stale dist/. */
function buildCli(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: resolve(__dirname, '..'),
    stdio: 'inherit',
  });
}

export default async function setup(project: TestProject) {
  buildCli();
  let server: EmbeddedServer | undefined;
  let url = process.env.PGSHIFT_TEST_URL;
  if (!url) {
    server = await startEmbeddedPostgres();
    url = server.url;
  }
  project.provide('pgAdminUrl', url);
  return async () => {
    await server?.stop();
  };
}
