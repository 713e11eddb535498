/** Pending contract records: one file per pending step, and the single file of earlier versions still read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contractStepFile, contractStepPath, readPendingContracts } from '../../src/emit/contract-file';
import { writeAllOrNothing } from '../../src/emit/write-files';

const contract = (id: string) => ({ id, summary: id, covers: [], fragments: [] });

describe('contract records', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads per-step files and the old single file together, oldest expand first', () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contracts-'));
    writeAllOrNothing([contractStepFile(dir, 9, [contract('b')]), contractStepFile(dir, 12, [contract('c')])]);
    writeFileSync(join(dir, 'pgshift-contract.json'), JSON.stringify({ pgshift: 1, note: '', pending: [{ ...contract('a'), expandVersion: 4 }] }));
    expect(contractStepPath(dir, 9)).toBe(join(dir, 'pgshift-contract', '000009.json'));
    expect(readPendingContracts(dir).map((p) => [p.id, p.expandVersion])).toEqual([['a', 4], ['b', 9], ['c', 12]]);
  });
});
