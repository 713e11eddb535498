/** Whether a server answers at `url` yet (or still): the readiness probe of the servers pgshift starts. */
import { pgModule } from '../db/pg-module';

export async function canConnect(url: string): Promise<boolean> {
  const client = new (pgModule().Client)({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
