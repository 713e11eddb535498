/**
 * The only place where names and values become SQL text. Every identifier pgshift emits is quoted, so
 * mixed-case, reserved-word and unicode names round-trip exactly; every literal is single-quoted with
 * quotes doubled (standard_conforming_strings is on by default since PG 9.1).
 */
import type { QualifiedName } from '../model/schema';

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(name: QualifiedName): string {
  return `${ident(name.schema)}.${ident(name.name)}`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ');
}
