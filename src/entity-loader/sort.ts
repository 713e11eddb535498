/**
 * The model's list order (src/model/schema.ts): by name, compared by UTF-16 code units — the same plain
 * `<` order everywhere, independent of locale and of the database's collation.
 */
import type { QualifiedName } from '../model/schema';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name);
}

export function bySchemaThenName(a: QualifiedName, b: QualifiedName): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name);
}
