/**
 * Deterministic names for the helper objects the rules-safe rules create: indexes built under a
 * temporary name and originals renamed away. Fitted to 63 bytes by generatedName (sha1 suffix past it).
 */
import { generatedName } from './generated-name';

/** An index built concurrently under a temporary name, renamed by `ADD CONSTRAINT … USING INDEX`. */
export function newIndexName(name: string): string {
  return generatedName(`${name}_pgshift_new`);
}

/** An object renamed away so that its replacement can take its name; dropped at the end. */
export function oldObjectName(name: string): string {
  return generatedName(`${name}_pgshift_old`);
}
