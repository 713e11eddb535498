/**
 * Deterministic names for the helper objects pgshift creates (temporary CHECKs, indexes built under a
 * temporary name, renamed-away originals). Same input, same name — never random — so a plan is
 * reproducible and a reviewer can grep for it. Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1);
 * a name that would be longer is cut and ends in a short sha1 of the full name, so two long names that
 * share a prefix stay distinct.
 */
import { sha1Hex } from './sha1';

export const MAX_IDENTIFIER_BYTES = 63;

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  let out = '';
  for (const char of text) {
    if (byteLength(out + char) > bytes) break;
    out += char;
  }
  return out;
}

/** `name` as is when it fits in 63 bytes, else its head plus `_` and 8 hex digits of its sha1. */
export function fitIdentifier(name: string): string {
  if (byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = sha1Hex(name).slice(0, 8);
  return `${cutToBytes(name, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
}

/** `<parts joined by _>`, fitted to 63 bytes. */
export function helperName(...parts: readonly string[]): string {
  return fitIdentifier(parts.join('_'));
}

/**
 * The name Postgres itself gives a column's NOT NULL constraint (`<table>_<column>_not_null`, PG 18
 * catalogs it). Using the same name for the PG 18 `NOT NULL … NOT VALID` path makes the end state
 * indistinguishable from a plain `SET NOT NULL`.
 */
export function notNullConstraintName(table: string, column: string): string {
  return helperName(table, column, 'not_null');
}

/** The temporary `CHECK (col IS NOT NULL)` that lets PG 12–17 `SET NOT NULL` skip its scan. */
export function notNullCheckName(table: string, column: string): string {
  return helperName(table, column, 'pgshift_nn');
}

/** An index built concurrently under a temporary name, renamed by `ADD CONSTRAINT … USING INDEX`. */
export function newIndexName(name: string): string {
  return helperName(name, 'pgshift_new');
}

/** An object renamed away so that its replacement can take its name; dropped at the end. */
export function oldObjectName(name: string): string {
  return helperName(name, 'pgshift_old');
}
