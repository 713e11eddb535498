/** Postgres silently truncates identifiers to NAMEDATALEN - 1 = 63 bytes (on a character boundary). */
export const MAX_IDENTIFIER_BYTES = 63;

export function truncateIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch, 'utf8') > MAX_IDENTIFIER_BYTES) break;
    out += ch;
  }
  return out;
}
