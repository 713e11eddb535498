import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/planner/rules';

const MINE = ['add-required-column', 'rename-column', 'rename-table', 'alter-column-type', 'enum-add-value'];

describe('expand/contract rules', () => {
  it('are registered before direct', () => {
    const ids = RULES.map((r) => r.id);
    for (const id of MINE) expect(ids.indexOf(id)).toBeGreaterThanOrEqual(0);
    for (const id of MINE) expect(ids.indexOf(id)).toBeLessThan(ids.indexOf('direct'));
    expect(ids.indexOf('rename-column')).toBeLessThan(ids.indexOf('add-required-column'));
  });

  it.each(MINE)('%s has its doc page and its tests', (id) => {
    const doc = readFileSync(join(__dirname, '../../src/planner/rules', `${id}.md`), 'utf8');
    for (const section of ['## problem', '## what pgshift emits', '## decision', '## versions']) expect(doc).toContain(section);
    expect(existsSync(join(__dirname, `${id}.test.ts`))).toBe(true);
  });
});
