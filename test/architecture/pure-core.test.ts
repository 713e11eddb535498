/**
 * The core (model, diff, planner, sql) is pure: no I/O, no clock, no randomness, no process. This test
 * reads every core file's imports and globals so a stray `fs` or `Date.now()` fails CI, not a review.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = ['src/model', 'src/diff', 'src/planner', 'src/sql'];
const ALLOWED_IMPORT_ROOTS = CORE.map((dir) => dir.replace(/^src\//, ''));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('pure core', () => {
  const coreFiles = CORE.flatMap(files);

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
