/**
 * golang-migrate's postgres URL options, read the way node-postgres can use them. golang-migrate hands
 * `search_path` to lib/pq, which sends it as a run-time parameter; node-postgres ignores unknown URL
 * parameters, so the same URL would silently migrate `public`. Here `search_path` becomes
 * `options=-c search_path=…`, which the server applies at login, so current_schema() (and with it the
 * version table and the migration lock id) is the tenant's schema — as with golang-migrate.
 */
import { PgshiftError, redactSecrets } from '../errors';
import { VERSION_TABLE } from './version-table';


export interface TargetConnection {
  /** A URL node-postgres connects with as golang-migrate would. */
  readonly url: string;
  /** The schema named by `search_path` (its first entry), or null. */
  readonly schema: string | null;
}

function isUrl(text: string): URL | null {
  if (!/^postgres(ql)?:\/\//i.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Backslash-escapes what the server's `options` parser splits on. */
function optionValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
}

/** The table named by `x-migrations-table` must be the runner's: anything else would split the state in two. */
function refuseOtherVersionTable(url: URL, raw: string): void {
  const table = url.searchParams.get('x-migrations-table');
  if (table === null) return;
  const quoted = url.searchParams.get('x-migrations-table-quoted') === 'true' || url.searchParams.get('x-migrations-table-quoted') === '1';
  const name = quoted ? table.replace(/^"[^"]*"\./, '').replace(/^"|"$/g, '') : table;
  if (name !== VERSION_TABLE) {
    throw new PgshiftError('USAGE', `${redactSecrets(raw)}: x-migrations-table=${table} is not supported; pgshift keeps the version in ${VERSION_TABLE}`, {
      hint: 'use search_path to give each tenant its own schema_migrations (…?search_path=tenant_1)',
    });
  }
  if (quoted && /^"([^"]*)"\./.test(table) && !url.searchParams.get('search_path')) {
    // "tenant"."schema_migrations": the version table's schema is the tenant's schema.
    url.searchParams.set('search_path', /^"([^"]*)"\./.exec(table)![1]!);
  }
}

export function targetConnection(raw: string): TargetConnection {
  const url = isUrl(raw);
  if (!url) return { url: raw, schema: null };
  refuseOtherVersionTable(url, raw);
  const searchPath = url.searchParams.get('search_path');
  for (const key of [...url.searchParams.keys()]) {
    if (key === 'search_path' || key.startsWith('x-migrations-table')) url.searchParams.delete(key);
  }
  if (searchPath === null || searchPath.trim() === '') return { url: url.toString(), schema: null };
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', `${existing ? `${existing} ` : ''}-c search_path=${optionValue(searchPath)}`);
  const first = searchPath.split(',')[0]!.trim().replace(/^"|"$/g, '');
  return { url: url.toString(), schema: first };
}
