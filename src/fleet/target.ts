/** One database (or tenant schema) of a fleet: an id for reports and the URL pgshift connects with. */
import { describeTarget } from '../db/connect';

export interface FleetTarget {
  readonly id: string;
  readonly url: string;
}

/** `host:port/db`, plus `/schema` when the URL sets a search_path: unique per tenant, never a password. */
export function defaultTargetId(url: string): string {
  const base = describeTarget(url);
  try {
    const schema = new URL(url).searchParams.get('search_path');
    return schema ? `${base}/${schema.split(',')[0]!.trim()}` : base;
  } catch {
    return base;
  }
}

/** Which server a target lives on, for the per-host concurrency cap. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return 'unknown';
  }
}
