/** Pending contract records: one file per pending step, and the single file of earlier versions still read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contractStepFile, contractStepPath, readPendingContracts } from '../../src/emit/contract-file';
import { writeAllOrNothing } from '../../src/emit/write-files';
import type { Change } from '../../src/diff/change';
import { covering, partitionByContracts } from '../../src/planner/contracts';

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

describe('a contract record read back is checked, not trusted', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: unknown) => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-contracts-'));
    const path = contractStepPath(dir, 7);
    writeAllOrNothing([{ path, content: typeof content === 'string' ? content : JSON.stringify(content) }]);
    return path;
  };
  const entry = { ...contract('rename-column:public.users.name'), expandVersion: 7 };

  it('reads the schema.table strings of earlier records as names', () => {
    write({ pgshift: 1, note: '', pending: [{ ...entry, covers: [{ kind: 'DropColumn', table: 'public.users', column: 'name' }] }] });
    expect(readPendingContracts(dir)[0]!.covers).toEqual([{ kind: 'DropColumn', table: { schema: 'public', name: 'users' }, column: 'name' }]);
  });

  it.each([
    ['not a record', { pending: [] }, /does not start with "pgshift": 1/],
    ['no pending list', { pgshift: 1 }, /no "pending" list/],
    ['no id', { pgshift: 1, pending: [{ ...entry, id: '' }] }, /pending\[0\] has no id/],
    ['no expand version', { pgshift: 1, pending: [{ ...entry, expandVersion: 'seven' }] }, /has no expandVersion/],
    ['an unknown change kind', { pgshift: 1, pending: [{ ...entry, covers: [{ kind: 'DropEverything', table: 'public.users' }] }] }, /without a known change kind/],
    ['a matcher without a table', { pgshift: 1, pending: [{ ...entry, covers: [{ kind: 'DropColumn' }] }] }, /\(DropColumn\) without a table/],
    ['fragments without statements', { pgshift: 1, pending: [{ ...entry, fragments: [{ up: 'DROP TABLE users' }] }] }, /no "fragments" list of up and down statements/],
  ])('refuses a record with %s, naming the file and what is off', (_what, content, message) => {
    const path = write(content);
    expect(() => readPendingContracts(dir)).toThrow(message);
    expect(() => readPendingContracts(dir)).toThrow(path);
  });

  it('refuses text that is not JSON', () => {
    write('{"pgshift": 1, "pending": [');
    expect(() => readPendingContracts(dir)).toThrow(/is not valid JSON/);
  });
});

describe('a pending contract explains the changes it covers, by name', () => {
  const change = (schema: string, name: string) => ({ kind: 'DropIndex', table: { schema, name }, index: { name: 'i', columns: ['a'], unique: false } }) as unknown as Change;
  const pending = [{ ...contract('x'), covers: [covering('DropIndex', { schema: 'app', name: 'a.b' })] }];

  it('compares schema and table apart, so a dot in a name cannot make another table match', () => {
    expect(partitionByContracts([change('app', 'a.b')], pending).covered).toHaveLength(1);
    expect(partitionByContracts([change('app.a', 'b')], pending).covered).toHaveLength(0);
  });
});
