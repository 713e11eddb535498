/**
 * Fills the "before" schema with `rows` items in one INSERT … SELECT generate_series (seconds for a
 * million rows), then VACUUM ANALYZE so every copy starts with fresh statistics and a set visibility map.
 * Every value is deterministic, so the data checks compare like with like.
 */
import { withClient } from '../lib/admin-db';
import { ACCOUNTS_TABLE, ITEMS_TABLE } from './items-entity-source';

export const ACCOUNT_COUNT = 100;

export async function seedItems(databaseUrl: string, rows: number): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    await client.query(`INSERT INTO ${ACCOUNTS_TABLE} (name) SELECT 'account ' || g FROM generate_series(1, ${ACCOUNT_COUNT}) g`);
    await client.query(
      `INSERT INTO ${ITEMS_TABLE} (account_id, sku, qty, price, title, category, status, legacy_name)
       SELECT 1 + g % ${ACCOUNT_COUNT}, 'sku-' || g, g % 1000, (g % 100000) / 100.0, 'title ' || g, g % 7, 'new', 'legacy ' || g
       FROM generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(`VACUUM ANALYZE ${ACCOUNTS_TABLE}, ${ITEMS_TABLE}`);
  });
}
