/**
 * EXCLUDE constraints and generation expressions of a table that exists on both sides. Both compare in
 * their cooked forms; a changed exclusion is dropped and added again (there is no ALTER for it).
 */
import type { Column, QualifiedName, Table } from '../model/schema';
import type { Change } from './change';
import { pairObjects } from './match';

export function generatedChanges(table: QualifiedName, from: Column, to: Column): Change[] {
  const before = from.generated?.expression ?? null;
  const after = to.generated?.expression ?? null;
  return before === after ? [] : [{ kind: 'AlterColumnGenerated', table, from, to }];
}

export function exclusionChanges(table: QualifiedName, from: Table, to: Table): Change[] {
  const same = (a: { expression: string }, b: { expression: string }) => a.expression === b.expression;
  const pairing = pairObjects(from.exclusions ?? [], to.exclusions ?? [], same);
  const changes: Change[] = [];
  for (const [a, b] of pairing.pairs) {
    if (!same(a, b)) changes.push({ kind: 'DropExclusion', table, exclusion: a }, { kind: 'AddExclusion', table, exclusion: b });
  }
  for (const x of pairing.onlyFrom) changes.push({ kind: 'DropExclusion', table, exclusion: x });
  for (const x of pairing.onlyTo) changes.push({ kind: 'AddExclusion', table, exclusion: x });
  return changes;
}
