/**
 * The only place where names and values become SQL text. Every identifier pgshift emits is quoted, so
 * mixed-case, reserved-word and unicode names round-trip exactly; every literal is single-quoted with
 * quotes doubled (standard_conforming_strings is on by default since PG 9.1, and pg_get_expr prints
 * literals the same way, so what pgshift writes compares equal to what it reads back).
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

/** An array element that array_in would read as something else unless double-quoted. */
const NEEDS_ARRAY_QUOTES = /^$|^null$|[{}",\\\s]/i;

/**
 * The text form of a one-dimensional array (`{a,"b c"}`), as array_in reads it: an element that is
 * empty, `NULL`, or holds braces, commas, quotes, backslashes or white space is double-quoted with `"`
 * and `\` escaped. Not SQL yet: pass it to `literal`.
 */
export function arrayText(elements: readonly string[]): string {
  const quoted = elements.map((e) => (NEEDS_ARRAY_QUOTES.test(e) ? `"${e.replace(/["\\]/g, '\\$&')}"` : e));
  return `{${quoted.join(',')}}`;
}

/**
 * A dollar-quote tag (`$name$`, or `$name_2$`, …) that none of `bodies` contains, nor ends with the
 * start of, so that text placed between two of them (a user's expression inside a DO or function body)
 * cannot end the quote early.
 */
export function dollarTag(name: string, ...bodies: readonly string[]): string {
  for (let n = 1; ; n += 1) {
    const tag = n === 1 ? `$${name}$` : `$${name}_${n}$`;
    if (bodies.every((body) => `${body}${tag}`.indexOf(tag) === body.length)) return tag;
  }
}

/** `body` as a dollar-quoted string constant, its tag chosen by dollarTag. */
export function dollarQuoted(body: string, name = 'q'): string {
  const tag = dollarTag(name, body);
  return `${tag}${body}${tag}`;
}

/** An index access method (`btree`, `gist`, …): bare when it is a plain lower-case word, else quoted. */
export function accessMethod(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : ident(name);
}
