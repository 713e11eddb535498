/**
 * Turning TypeORM's complaints about entities into one-line PgshiftError('ENTITY') messages that name the
 * file to fix. TypeORM names the entity class ("Entity "Post" does not have a primary column",
 * "Entity metadata for Post#author was not found"), never its file; the loader knows which file
 * exported which class (./require-hook.ts), so the class name found in the message leads to the file.
 */
import { relative } from 'node:path';
import { PgshiftError } from '../errors';
import { fileDefiningClass, fileWhereThrown } from './require-hook';

const HINT = "fix the entity as TypeORM's message says; pgshift builds the same metadata TypeORM would";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The candidate entity classes, by name, with the file each came from. */
function knownEntityFiles(targets: readonly unknown[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const target of targets) {
    const file = fileDefiningClass(target);
    if (file && typeof target === 'function' && target.name) byName.set(target.name, file);
  }
  return byName;
}

/** The file of the entity whose class name appears first in the message (the longest name on a tie). */
function fileNamedIn(message: string, targets: readonly unknown[]): string | undefined {
  let best: { index: number; length: number; file: string } | undefined;
  for (const [name, file] of knownEntityFiles(targets)) {
    const match = new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).exec(message);
    if (!match) continue;
    if (!best || match.index < best.index || (match.index === best.index && name.length > best.length)) {
      best = { index: match.index, length: name.length, file };
    }
  }
  return best?.file;
}

export function firstLine(message: string): string {
  return message.trim().split('\n')[0]!.trim();
}

/** `targets`: the listed entities and every class TypeORM's decorators registered. */
export function entityError(error: unknown, targets: readonly unknown[], cwd: string): PgshiftError {
  if (error instanceof PgshiftError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const file = fileWhereThrown(error) ?? fileNamedIn(message, targets);
  const where = file ? `${relative(cwd, file) || file}: ` : '';
  return new PgshiftError('ENTITY', `${where}${firstLine(message)}`, { hint: HINT, cause: error });
}
