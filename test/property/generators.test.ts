/**
 * The generators themselves: what they produce is valid (so a property failure is pgshift's, not the
 * generator's), and a modest sample already exercises every change kind the properties are meant to
 * cover — a generator that silently stopped producing, say, AddCheck would make the properties vacuous.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeKind } from '../../src/diff/change';
import { diffModels } from '../../src/diff/diff';
import type { SchemaModel } from '../../src/model/schema';
import { schemaSpec } from './arbitraries';
import { applyMutations, mutationList } from './mutations';
import { buildModel } from './spec';

const sample = fc.sample(fc.tuple(schemaSpec, mutationList), { numRuns: 300, seed: 20240611 });

function problems(model: SchemaModel): string[] {
  const out: string[] = [];
  const tables = new Map(model.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  for (const t of model.tables) {
    const relations = [t.primaryKey!.name, ...t.uniques.map((u) => u.name), ...t.indexes.map((i) => i.name)];
    const constraints = [t.primaryKey!.name, ...t.uniques.map((u) => u.name), ...t.checks.map((c) => c.name), ...t.foreignKeys.map((f) => f.name)];
    if (new Set(relations).size !== relations.length) out.push(`${t.name}: index names repeat`);
    if (new Set(constraints).size !== constraints.length) out.push(`${t.name}: constraint names repeat`);
    if ([...relations, ...constraints, t.name].some((n) => Buffer.byteLength(n) > 63)) out.push(`${t.name}: a name is longer than 63 bytes`);
    const columns = new Map(t.columns.map((c) => [c.name, c]));
    if (columns.size !== t.columns.length) out.push(`${t.name}: column names repeat`);
    const keyed = [...t.uniques.flatMap((u) => u.columns), ...t.indexes.flatMap((i) => i.keys.map((k) => k.column!))];
    if (keyed.some((c) => !columns.has(c))) out.push(`${t.name}: a key names a missing column`);
    for (const fk of t.foreignKeys) {
      const target = tables.get(`${fk.referencedTable.schema}.${fk.referencedTable.name}`);
      const id = target?.columns.find((c) => c.name === 'id');
      if (!id || id.dataType !== columns.get(fk.columns[0]!)?.dataType) out.push(`${t.name}: ${fk.name} does not match a primary key`);
    }
    for (const c of t.columns) {
      if (c.enumType && !model.enums.some((e) => e.schema === c.enumType!.schema && e.name === c.enumType!.name)) out.push(`${t.name}.${c.name}: missing enum`);
    }
  }
  return out;
}

describe('property generators', () => {
  it('produce valid models, before and after', () => {
    for (const [before, mutations] of sample) {
      expect(problems(buildModel(before))).toEqual([]);
      expect(problems(buildModel(applyMutations(before, mutations)))).toEqual([]);
    }
  });

  it('exercise every change kind the properties cover', () => {
    const seen = new Set<ChangeKind>();
    for (const [before, mutations] of sample) {
      for (const change of diffModels(buildModel(before), buildModel(applyMutations(before, mutations)), { dropUnmanaged: true }).changes) seen.add(change.kind);
    }
    const covered: ChangeKind[] = [
      'CreateSchema', 'CreateEnum', 'DropEnum', 'AddEnumValue', 'CreateTable', 'DropTable', 'AddColumn', 'DropColumn',
      'AlterColumnType', 'SetNotNull', 'DropNotNull', 'SetDefault', 'SetColumnComment', 'SetTableComment',
      'AddUnique', 'DropUnique', 'AddForeignKey', 'DropForeignKey', 'AddCheck', 'DropCheck', 'CreateIndex', 'DropIndex',
    ];
    expect(covered.filter((k) => !seen.has(k))).toEqual([]);
  });
});
