/**
 * squawk over every committed generated `.sql` file (the planner's rule snapshots, the emitter's, the sample
 * app's migrations/): what a
 * reviewer reads in the repo is what a team's squawk CI would see, with no findings and no exclusions.
 * A folder named `pg15`/`pg18` holds a plan for that major; any other snapshot is linted at both.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SquawkBatch } from '../helpers/squawk';

const ROOTS = ['test/planner/__snapshots__', 'test/emit/__snapshots__', 'migrations'];

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sqlFiles(path) : path.endsWith('.sql') ? [path] : [];
  });
}

function majorsOf(path: string): number[] {
  const pinned = /\/pg(\d+)\//.exec(path);
  return pinned ? [Number(pinned[1])] : [15, 18];
}

describe('committed snapshots', () => {
  it('pass squawk with no findings', () => {
    const batch = new SquawkBatch();
    for (const path of ROOTS.flatMap(sqlFiles)) {
      for (const major of majorsOf(path)) batch.addText(`pg${major}/${path}`, readFileSync(path, 'utf8'), major);
    }
    expect(batch.size).toBeGreaterThan(100);
    batch.expectClean();
  });
});
