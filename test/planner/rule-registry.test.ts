/**
 * Every registered rule, straight from the registry: its id is one of the closed list, its page has the
 * sections every rule page has (squawk waivers included), and it has its test file. No page without a
 * rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/planner/rule-id';
import { RULES } from '../../src/planner/rules';

const SECTIONS = ['## problem', '## what pgshift emits', '## decision', '## versions', '## squawk'];

describe('the rule registry', () => {
  it('holds each rule id exactly once', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(RULES.map((r) => r.id))('%s has its page (every section) and its tests', (id) => {
    const page = readFileSync(`src/planner/rules/${id}.md`, 'utf8');
    expect(page.startsWith(`# ${id}\n`), `${id}.md starts with its title`).toBe(true);
    for (const section of SECTIONS) expect(page, `${id}.md ${section}`).toMatch(new RegExp(`\\n${section}\\n\\S`));
    expect(existsSync(`test/planner/${id}.test.ts`), `test/planner/${id}.test.ts`).toBe(true);
    expect(existsSync(`src/planner/rules/${id}.ts`), `src/planner/rules/${id}.ts`).toBe(true);
  });

  it('has no page without a rule', () => {
    const pages = readdirSync('src/planner/rules').filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
