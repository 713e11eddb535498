/**
 * Which Postgres the benchmarks use: `--admin-url` / BENCH_ADMIN_URL, else the machine's PG 15 on 5432, or
 * with `--embedded` a throwaway embedded PG 18 (src/shadow/embedded.ts) that is stopped afterwards.
 */
import { startEmbeddedPostgres } from '../../src/shadow/embedded';
import { DEFAULT_ADMIN_URL } from './admin-db';

export interface BenchServer {
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export async function openBenchServer(options: { adminUrl?: string; embedded?: boolean }): Promise<BenchServer> {
  if (options.embedded) {
    const server = await startEmbeddedPostgres();
    return { adminUrl: server.url, stop: () => server.stop() };
  }
  return { adminUrl: options.adminUrl ?? process.env.BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL, stop: async () => undefined };
}
