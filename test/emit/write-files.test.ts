import { mkdtempSync, readdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAllOrNothing } from '../../src/emit/write-files';
import { PgshiftError } from '../../src/errors';

describe('writeAllOrNothing', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every file', () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-write-'));
    writeAllOrNothing([{ path: join(dir, 'a.sql'), content: 'a' }, { path: join(dir, 'b.sql'), content: 'b' }]);
    expect(readdirSync(dir).sort()).toEqual(['a.sql', 'b.sql']);
  });

  it('writes nothing when one target exists already', () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-write-'));
    writeFileSync(join(dir, 'b.sql'), 'old');
    expect(() => writeAllOrNothing([{ path: join(dir, 'a.sql'), content: 'a' }, { path: join(dir, 'b.sql'), content: 'b' }])).toThrow(PgshiftError);
    expect(readdirSync(dir)).toEqual(['b.sql']);
    expect(readFileSync(join(dir, 'b.sql'), 'utf8')).toBe('old');
  });

  it('rolls back files already placed when a later one cannot be written', () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-write-'));
    writeFileSync(join(dir, 'keep.json'), 'before');
    // The second path's parent is a file, so writing under it fails after the first was prepared.
    expect(() =>
      writeAllOrNothing([
        { path: join(dir, 'keep.json'), content: 'after', replace: true },
        { path: join(dir, 'keep.json', 'x.sql'), content: 'x' },
      ]),
    ).toThrow(PgshiftError);
    expect(readdirSync(dir)).toEqual(['keep.json']);
    expect(readFileSync(join(dir, 'keep.json'), 'utf8')).toBe('before');
  });
});
