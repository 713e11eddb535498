import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fitIdentifier, helperName, notNullConstraintName } from '../../src/planner/names';
import { direct } from '../../src/planner/rules/direct';
import { sha1Hex } from '../../src/planner/sha1';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { planModels, squawk } from './safe-helpers';

describe('deterministic helper names', () => {
  it('sha1Hex matches node:crypto', () => {
    for (const text of ['', 'abc', 'users_email_not_null', 'ü'.repeat(70), 'x'.repeat(1000)]) {
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'));
    }
  });

  it('keeps names that fit and shortens longer ones to 63 bytes with a hash', () => {
    expect(notNullConstraintName('users', 'email')).toBe('users_email_not_null');
    const long = helperName('a'.repeat(40), 'b'.repeat(40), 'pgshift_nn');
    expect(Buffer.byteLength(long)).toBe(63);
    expect(long).toMatch(/^a{40}_b+_[0-9a-f]{8}$/);
    expect(helperName('a'.repeat(40), 'b'.repeat(40), 'pgshift_nn')).toBe(long);
    expect(helperName('a'.repeat(40), 'c'.repeat(40), 'pgshift_nn')).not.toBe(long);
    // Multi-byte characters are never split.
    expect(Buffer.byteLength(fitIdentifier('é'.repeat(40)))).toBeLessThanOrEqual(63);
  });
});

describe('squawk as the tests run it', () => {
  it('flags what the direct rule alone would emit (negative control)', async () => {
    const items = withPk(table('items', [idColumn(), col('sku', 'text')]));
    const { files } = planModels(model([items]), model([{ ...items, indexes: [index('items_sku_idx', ['sku'])] }]), 150000, {}, [direct]);
    expect((await squawk(files)).map((v) => v.rule)).toContain('require-concurrent-index-creation');
  });
});
