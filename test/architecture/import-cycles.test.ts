/** No file under src/ reaches itself through its imports (type-only imports included: a cycle is a tangle either way). */
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, specifiers } from './import-graph';

describe('imports in src/', () => {
  const graph = importGraph();

  it('are read', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('have no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('are every form of import, the lazy ones too (the reader itself)', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "import './d';",
      "const e = () => import('./e');",
      "const f = require('./f');",
      "const text = \"from './not-an-import'\";",
    ].join('\n');
    expect(specifiers(source)).toEqual(['./a', './b', './c', './d', './e', './f']);
  });

  it('would show a cycle (the finder itself)', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
  });
});
