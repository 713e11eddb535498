/** Every rule page says which squawk findings its forms waive, and why (issue 8: squawk-clean files). */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const PAGES = readdirSync('src/planner/rules').filter((f) => f.endsWith('.md'));

describe('rule pages name their squawk waivers', () => {
  it.each(PAGES)('%s has a squawk section', (page) => {
    expect(readFileSync(`src/planner/rules/${page}`, 'utf8')).toMatch(/\n## squawk\n\S/);
  });
});
