/**
 * Where a fleet's targets come from: a file (one URL per line, optionally `id url`, `#` comments; or
 * JSON: an array of URLs or `{ "id", "url" }` objects, or `{ "targets": [...] }`), or a query against a
 * control database that returns `url` (and optionally `id`) columns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from '../db/connect';
import { PgshiftError, redactSecrets } from '../errors';
import { defaultTargetId, type FleetTarget } from './target';

interface RawTarget { readonly id?: unknown; readonly url?: unknown }

function fromRaw(raw: RawTarget | string, where: string): FleetTarget {
  const item: RawTarget = typeof raw === 'string' ? { url: raw } : raw;
  if (typeof item.url !== 'string' || item.url.trim() === '') {
    throw new PgshiftError('USAGE', `${where}: a target without a url`, { hint: 'each target needs a "url" (postgres://user@host:5432/db)' });
  }
  const url = item.url.trim();
  const id = item.id === undefined || item.id === null ? defaultTargetId(url) : String(item.id);
  return { id, url };
}

function parseJson(text: string, source: string): FleetTarget[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PgshiftError('USAGE', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { targets?: unknown } | null)?.targets;
  if (!Array.isArray(list)) {
    throw new PgshiftError('USAGE', `${source}: expected an array of targets or { "targets": [...] }`);
  }
  return list.map((item, i) => fromRaw(item as RawTarget | string, `${source} target ${i + 1}`));
}

function parseLines(text: string, source: string): FleetTarget[] {
  const targets: FleetTarget[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const parts = content.split(/\s+/);
    if (parts.length > 2) throw new PgshiftError('USAGE', `${source}:${i + 1}: expected a URL, or an id and a URL`);
    targets.push(parts.length === 2 ? fromRaw({ id: parts[0], url: parts[1] }, `${source}:${i + 1}`) : fromRaw(parts[0]!, `${source}:${i + 1}`));
  });
  return targets;
}

/** Checks the list: not empty, ids unique (reports and shards key on them). */
export function checkInventory(targets: readonly FleetTarget[], source: string): FleetTarget[] {
  if (targets.length === 0) throw new PgshiftError('USAGE', `${source} lists no targets`);
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) {
      throw new PgshiftError('USAGE', `${source}: target id ${target.id} appears twice`, { hint: 'give every target its own id (`id url` per line, or "id" in JSON)' });
    }
    seen.add(target.id);
  }
  return [...targets];
}

export function parseInventory(text: string, source: string): FleetTarget[] {
  const trimmed = text.trimStart();
  const targets = trimmed.startsWith('[') || trimmed.startsWith('{') ? parseJson(text, source) : parseLines(text, source);
  return checkInventory(targets, source);
}

export function readInventoryFile(path: string): FleetTarget[] {
  if (!existsSync(path)) throw new PgshiftError('USAGE', `inventory file not found: ${path}`, { hint: 'pass a file with one database URL per line, or JSON' });
  return parseInventory(readFileSync(path, 'utf8'), path);
}

/** Runs the query read-only on the control database; each row gives a `url` and optionally an `id`. */
export async function queryInventory(controlUrl: string, sql: string): Promise<FleetTarget[]> {
  const client = await connect(controlUrl, 'pgshift (fleet inventory)');
  try {
    await client.query('BEGIN READ ONLY');
    let rows: Array<Record<string, unknown>>;
    try {
      rows = (await client.query(sql)).rows as Array<Record<string, unknown>>;
    } catch (error) {
      throw new PgshiftError('USAGE', `the fleet query failed: ${redactSecrets((error as Error).message)}`, { hint: 'it must return a url column, e.g. SELECT id, url FROM tenants ORDER BY id' });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    if (rows.length > 0 && !('url' in rows[0]!)) {
      throw new PgshiftError('USAGE', 'the fleet query returned no url column', { hint: 'SELECT id, url FROM tenants' });
    }
    return checkInventory(rows.map((row, i) => fromRaw(row as RawTarget, `fleet query row ${i + 1}`)), 'the fleet query');
  } finally {
    await client.end().catch(() => undefined);
  }
}
