/** A migration's identity: sha256 of the up file's bytes, exactly as read (no newline normalisation). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MigrationFile } from '../migrations-dir/files';

export function checksumOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The file's bytes and checksum, read once so what runs is what was hashed. */
export function readMigrationBytes(file: MigrationFile): { text: string; checksum: string } {
  const bytes = readFileSync(file.path);
  return { text: bytes.toString('utf8'), checksum: checksumOf(bytes) };
}
