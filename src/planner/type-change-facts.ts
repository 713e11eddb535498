/**
 * What a column type change costs, from the two types as `format_type()` prints them:
 *  - `in-place`: binary-compatible, ALTER TYPE only updates the catalog (no rewrite, no index rebuild);
 *  - `widening`: every value converts without loss, but the table is rewritten;
 *  - `narrowing`: some values may not fit, may fail to cast, or may lose precision.
 * When unsure the answer is `narrowing`: pgshift then refuses and explains instead of guessing.
 */
import type { Column } from '../model/schema';

export type TypeChangeCost = 'in-place' | 'widening' | 'narrowing';

interface ParsedType {
  readonly base: string;
  readonly args: readonly number[];
}

export function parseType(dataType: string): ParsedType {
  const m = /^([a-z ]+?)(?:\((\d+)(?:,\s*(\d+))?\))?( with(?:out)? time zone)?$/.exec(dataType.trim());
  if (!m) return { base: dataType, args: [] };
  const args = [m[2], m[3]].filter((a): a is string => a !== undefined).map(Number);
  return { base: `${m[1]}${m[4] ?? ''}`, args };
}

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
/** Decimal digits an integer type needs before the point. */
const INTEGER_DIGITS: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };
const PRECISION_TYPES = new Set([
  'timestamp without time zone', 'timestamp with time zone', 'time without time zone', 'time with time zone', 'interval',
]);
const DEFAULT_TIME_PRECISION = 6;

/** A length or precision limit that may only grow: none on the target is the widest. */
function limitGrows(from: readonly number[], to: readonly number[], unlimited: number | null): boolean {
  if (to.length === 0) return true;
  const f = from.length === 0 ? unlimited : from[0]!;
  return f !== null && to[0]! >= f;
}

function inPlace(from: ParsedType, to: ParsedType): boolean {
  const fb = from.base;
  const tb = to.base;
  if ((fb === 'character varying' || fb === 'text') && tb === 'text') return true;
  if ((fb === 'character varying' || fb === 'text') && tb === 'character varying' && to.args.length === 0) return true;
  if (fb === 'character varying' && tb === 'character varying') return limitGrows(from.args, to.args, null);
  if (fb === 'bit varying' && tb === 'bit varying') return limitGrows(from.args, to.args, null);
  if (fb === 'numeric' && tb === 'numeric') {
    if (to.args.length === 0) return true;
    return from.args.length > 0 && (from.args[1] ?? 0) === (to.args[1] ?? 0) && to.args[0]! >= from.args[0]!;
  }
  if (PRECISION_TYPES.has(fb) && fb === tb) return limitGrows(from.args, to.args, DEFAULT_TIME_PRECISION);
  return fb === 'cidr' && tb === 'inet';
}

function widening(from: ParsedType, to: ParsedType): boolean {
  const fb = from.base;
  const tb = to.base;
  const fr = INTEGER_RANK[fb];
  const tr = INTEGER_RANK[tb];
  if (fr !== undefined && tr !== undefined) return tr > fr;
  if (fr !== undefined && tb === 'numeric') return to.args.length === 0 || to.args[0]! - (to.args[1] ?? 0) >= INTEGER_DIGITS[fb]!;
  if (fr !== undefined && fr <= 2 && tb === 'double precision') return true;
  if (fb === 'smallint' && tb === 'real') return true;
  if (fb === 'real' && tb === 'double precision') return true;
  if (fb === 'numeric' && tb === 'numeric' && from.args.length > 0 && to.args.length > 0) {
    const [fp, fs = 0] = from.args;
    const [tp, ts = 0] = to.args;
    return ts >= fs && tp! - ts >= fp! - fs;
  }
  if (fb === 'date' && (tb === 'timestamp without time zone' || tb === 'timestamp with time zone')) return true;
  if (fb === 'timestamp without time zone' && tb === 'timestamp with time zone') return limitGrows(from.args, to.args, DEFAULT_TIME_PRECISION);
  // Every value has a text form.
  return (tb === 'text' || (tb === 'character varying' && to.args.length === 0)) && fb !== 'character';
}

export function typeChangeCost(from: Column, to: Column): TypeChangeCost {
  if (from.isArray !== to.isArray) return 'narrowing';
  if (to.enumType !== null) return 'narrowing';
  const f = from.enumType !== null ? { base: 'enum', args: [] } : parseType(from.dataType);
  const t = parseType(to.dataType);
  if (from.enumType === null && inPlace(f, t)) return 'in-place';
  return widening(f, t) ? 'widening' : 'narrowing';
}

/** `expr` cast to the column's type; enums go through text (there is no direct cast between them). */
export function castTo(expr: string, from: Column, to: Column, toType: string): string {
  return from.enumType !== null || to.enumType !== null ? `${expr}::text::${toType}` : `${expr}::${toType}`;
}

/**
 * The rows whose value a narrowing change would alter or refuse, as a WHERE predicate on `expr` (the
 * old column) — exact, and error-free where the target says how: numeric(p,s) overflows when the value
 * rounded to s digits reaches 10^(p-s) and is rounded when it has more than s digits; varchar(n)/char(n)
 * truncates past n characters. Otherwise the value cast to the new type and back must come back equal
 * (compared in the old type, so `1.00` and `1.0000` are the same number); a failing cast fails the
 * count, which then says so.
 */
export function narrowingRiskPredicate(expr: string, from: Column, to: Column, toType: string, fromType: string): string {
  const f = from.enumType !== null ? { base: 'enum', args: [] as number[] } : parseType(from.dataType);
  const t = to.enumType !== null ? { base: 'enum', args: [] as number[] } : parseType(to.dataType);
  const numericSource = f.base === 'numeric' || INTEGER_DIGITS[f.base] !== undefined || f.base === 'real' || f.base === 'double precision';
  if (!from.isArray && !to.isArray && t.base === 'numeric' && t.args.length > 0 && numericSource) {
    const [p, s = 0] = t.args as [number, number?];
    const rounded = `round(${expr}::numeric, ${s})`;
    return `(${rounded} IS DISTINCT FROM ${expr}::numeric OR abs(${rounded}) >= 1e${p - s})`;
  }
  const textSource = f.base === 'text' || f.base === 'character varying' || f.base === 'character';
  if (!from.isArray && !to.isArray && textSource && (t.base === 'character varying' || t.base === 'character') && t.args.length > 0) {
    return `length(${expr}) > ${t.args[0]}`;
  }
  return `${castTo(`(${castTo(expr, from, to, toType)})`, to, from, fromType)} IS DISTINCT FROM ${expr}`;
}
