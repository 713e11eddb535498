/**
 * The catalog's SQL lives in ./queries/*.sql (readable, diffable, runnable in psql). Each file is read from
 * disk once per process. The build copies the folder next to the compiled code (scripts/copy-assets.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type QueryFile = 'introspect' | 'cook' | 'estimate-rows';

const cache = new Map<QueryFile, string>();

export function querySql(name: QueryFile): string {
  let text = cache.get(name);
  if (text === undefined) {
    // Trailing semicolons and whitespace are dropped so callers can join statements with `;`.
    text = readFileSync(join(__dirname, 'queries', `${name}.sql`), 'utf8').trim().replace(/;+$/, '');
    cache.set(name, text);
  }
  return text;
}
