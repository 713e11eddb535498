/**
 * Deterministic constraint and index names, as TypeORM's DefaultNamingStrategy derives them
 * (../shared/reference/typeorm-facts.md): a prefix and a SHA-1 of the table and its sorted columns,
 * so generated models look like what the entity loader produces and never exceed 63 bytes.
 */
import { createHash } from 'node:crypto';

const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');
const sorted = (columns: readonly string[]): string => [...columns].sort().join('_');

export const primaryKeyName = (table: string, columns: readonly string[]): string => `PK_${sha1(`${table}_${sorted(columns)}`).slice(0, 27)}`;
export const uniqueName = (table: string, columns: readonly string[]): string => `UQ_${sha1(`${table}_${sorted(columns)}`).slice(0, 27)}`;
export const foreignKeyName = (table: string, columns: readonly string[]): string => `FK_${sha1(`${table}_${sorted(columns)}`).slice(0, 27)}`;
export const checkName = (table: string, expression: string): string => `CHK_${sha1(`${table}_${expression}`).slice(0, 26)}`;

export function indexName(table: string, columns: readonly string[], where: string | null): string {
  return `IDX_${sha1(`${table}_${sorted(columns)}${where === null ? '' : `_${where}`}`).slice(0, 26)}`;
}
