/**
 * How objects on the two sides are paired. Names first; then, for constraints and indexes, by structure —
 * so a legacy or hand-chosen name (`users_pkey`, `users_email_key`) is accepted as it is instead of being
 * dropped and re-created (TypeORM #3274).
 */
import type { CheckConstraint, ForeignKey, Index, UniqueConstraint } from '../model/schema';

export interface Pairing<T> {
  readonly pairs: ReadonlyArray<readonly [from: T, to: T]>;
  readonly onlyFrom: readonly T[];
  readonly onlyTo: readonly T[];
}

/**
 * Pairs by `name`, then the leftovers by `sameShape`. `normalizeFrom` maps a from-side object into the
 * to-side's terms before comparing (e.g. renamed columns); the pairing still returns the originals.
 */
export function pairObjects<T extends { readonly name: string }>(
  from: readonly T[],
  to: readonly T[],
  sameShape: (a: T, b: T) => boolean,
  normalizeFrom: (item: T) => T = (item) => item,
): Pairing<T> {
  const pairs: Array<readonly [T, T]> = [];
  const toByName = new Map(to.map((item) => [item.name, item]));
  const restFrom: T[] = [];
  const pairedTo = new Set<T>();
  for (const item of from) {
    const match = toByName.get(item.name);
    if (match) {
      pairs.push([item, match]);
      pairedTo.add(match);
    } else {
      restFrom.push(item);
    }
  }
  let restTo = to.filter((item) => !pairedTo.has(item));
  const onlyFrom: T[] = [];
  for (const item of restFrom) {
    const match = restTo.find((candidate) => sameShape(normalizeFrom(item), candidate));
    if (match) {
      pairs.push([item, match]);
      restTo = restTo.filter((candidate) => candidate !== match);
    } else {
      onlyFrom.push(item);
    }
  }
  return { pairs, onlyFrom, onlyTo: restTo };
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function sameUnique(a: UniqueConstraint, b: UniqueConstraint): boolean {
  return sameList(a.columns, b.columns) && a.deferrable === b.deferrable;
}

export function sameForeignKey(a: ForeignKey, b: ForeignKey): boolean {
  return (
    sameList(a.columns, b.columns) &&
    a.referencedTable.schema === b.referencedTable.schema &&
    a.referencedTable.name === b.referencedTable.name &&
    sameList(a.referencedColumns, b.referencedColumns) &&
    a.onDelete === b.onDelete &&
    a.onUpdate === b.onUpdate &&
    a.deferrable === b.deferrable
  );
}

export function sameCheck(a: CheckConstraint, b: CheckConstraint): boolean {
  return a.expression === b.expression;
}

export function sameIndex(a: Index, b: Index): boolean {
  return (
    a.unique === b.unique &&
    a.method === b.method &&
    a.where === b.where &&
    a.keys.length === b.keys.length &&
    a.keys.every((key, i) => {
      const other = b.keys[i]!;
      return (
        key.column === other.column &&
        key.expression === other.expression &&
        key.descending === other.descending &&
        key.nullsNotDefault === other.nullsNotDefault
      );
    })
  );
}
