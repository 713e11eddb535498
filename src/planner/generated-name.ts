/**
 * Names pgshift invents (helper constraints, triggers, shadow columns) must be deterministic — the same
 * plan twice gives the same files — and fit Postgres' 63-byte limit without being silently truncated into
 * a collision. Past the limit the name is cut and ends in a short sha1 of the full name.
 */
import { MAX_IDENTIFIER_BYTES, truncateIdentifier } from '../model/names';
import { sha1Hex } from './sha1';

const HASH_LENGTH = 8;

export function generatedName(full: string): string {
  if (Buffer.byteLength(full, 'utf8') <= MAX_IDENTIFIER_BYTES) return full;
  const hash = sha1Hex(full).slice(0, HASH_LENGTH);
  const head = truncateIdentifier(full);
  let cut = head;
  while (Buffer.byteLength(`${cut}_${hash}`, 'utf8') > MAX_IDENTIFIER_BYTES) cut = cut.slice(0, -1);
  return `${cut.replace(/_+$/, '')}_${hash}`;
}
