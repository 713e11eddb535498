/** Every rules-safe rule has its doc page (with the four sections) and its test file. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/planner/rules';

const SAFE_RULES = [
  'create-index-concurrently', 'drop-index-concurrently', 'add-unique-using-index', 'add-primary-key-using-index',
  'add-foreign-key-not-valid', 'add-check-not-valid', 'set-not-null-via-check', 'add-column-volatile-default',
  'destructive-guard', 'replace-definition', 'change-default',
];

describe('rules-safe docs and tests', () => {
  it.each(SAFE_RULES)('%s is registered before direct, documented and tested', (id) => {
    const ids = RULES.map((r) => r.id);
    expect(ids.indexOf(id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(id)).toBeLessThan(ids.indexOf('direct'));
    const doc = readFileSync(`src/planner/rules/${id}.md`, 'utf8');
    for (const section of ['## problem', '## what pgshift emits', '## decision', '## versions']) expect(doc).toContain(section);
    expect(existsSync(`test/planner/${id}.test.ts`)).toBe(true);
  });

  it('replace-definition comes before the guards that would refuse a redefinition', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.indexOf('replace-definition')).toBeLessThan(ids.indexOf('destructive-guard'));
    expect(ids.indexOf('replace-definition')).toBeLessThan(ids.indexOf('drop-index-concurrently'));
  });
});
