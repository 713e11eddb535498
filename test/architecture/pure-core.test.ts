/**
 * Two rules about where code sits.
 *
 * The core (model, sql, diff, planner) is pure: no I/O, no clock, no randomness, no process. This test
 * reads every core file's imports and globals so a stray `fs` or `Date.now()` fails CI, not a review.
 *
 * The folders of src/ form layers, and imports point down only — a file imports its own folder or a
 * lower layer, never a higher one nor a neighbour on its own layer:
 *
 *   model < sql < diff < planner < emit < pipeline < cli   (the pipeline `gen diff` runs)
 *
 * with the rooms beside it: sql-check and migrations-dir (with sql), the I/O rooms db (connections),
 * catalog (introspection) and entity-loader (with diff), shadow (with planner: it replays folders and
 * knows nothing of plans), target (above shadow: opens the live database or a shadow for the pipeline), runner (with emit: it applies the files and reads the facts the planner put in
 * their headers, such as data checks, but never plans), contract-gate between them (the evidence that
 * a contract's old shape is unused: read by the runner, named in the headers emit writes), fleet (with pipeline), sync and branch (above
 * pipeline), errors (the bottom: everyone's) and index.ts (the top: the public API).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, room, sourceFiles } from './import-graph';

const CORE = ['src/model', 'src/diff', 'src/planner', 'src/sql'];
const ALLOWED_IMPORT_ROOTS = CORE.map((dir) => dir.replace(/^src\//, ''));

/** Lowest first. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'model'],
  ['sql', 'sql-check', 'migrations-dir'],
  ['diff', 'db', 'catalog', 'entity-loader'],
  ['planner', 'shadow'],
  ['contract-gate', 'target'],
  ['emit', 'runner'],
  ['pipeline', 'fleet'],
  ['sync', 'branch'],
  ['cli'],
  ['index'],
];

function layerOf(name: string): number {
  const layer = LAYERS.findIndex((rooms) => rooms.includes(name));
  if (layer < 0) throw new Error(`src/${name} has no place in LAYERS: add it where its imports put it`);
  return layer;
}

/** Why `file` may not import `target`, or null when it may. */
function backwardsImport(file: string, target: string): string | null {
  const [from, to] = [room(file), room(target)];
  if (from === to || layerOf(to) < layerOf(from)) return null;
  return `${file} (${from}, layer ${layerOf(from)}) imports ${target} (${to}, layer ${layerOf(to)})`;
}

describe('pure core', () => {
  const coreFiles = CORE.flatMap((dir) => sourceFiles(dir));

  it('has files to check', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles)('%s imports only core modules', (file) => {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/from '([^']+)'/g)) {
      const target = match[1]!;
      expect(target.startsWith('.'), `${file} imports package ${target}`).toBe(true);
      const resolved = relative('src', join(file, '..', target));
      expect(ALLOWED_IMPORT_ROOTS.some((root) => resolved.startsWith(root)), `${file} imports ${resolved}`).toBe(true);
    }
    expect(source).not.toMatch(/\b(process\.|Date\.now|new Date\(|Math\.random|require\()/);
  });
});

describe('layers', () => {
  const graph = importGraph();

  it('place every folder of src/', () => {
    for (const file of graph.keys()) expect(() => layerOf(room(file)), file).not.toThrow();
  });

  it('are only imported downwards', () => {
    const wrong = [...graph].flatMap(([file, targets]) => targets.map((t) => backwardsImport(file, t)).filter((w) => w !== null));
    expect(wrong).toEqual([]);
  });

  it('would catch a backwards import', () => {
    expect(backwardsImport('src/sql/ddl.ts', 'src/planner/step.ts')).toMatch(/sql, layer 1\) imports .*planner, layer 3/);
    expect(backwardsImport('src/catalog/introspect.ts', 'src/db/connect.ts')).toMatch(/neighbour|layer 2\) imports .*layer 2/);
    expect(backwardsImport('src/planner/plan.ts', 'src/diff/diff.ts')).toBeNull();
  });
});
