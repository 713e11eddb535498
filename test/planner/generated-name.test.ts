import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatedName } from '../../src/planner/generated-name';
import { sha1Hex } from '../../src/planner/sha1';

describe('generated names', () => {
  it('sha1Hex matches node:crypto', () => {
    for (const text of ['', 'abc', 'pgshift_sync_users_full_name_name', 'é😀'.repeat(40), 'x'.repeat(200)]) {
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text).digest('hex'));
    }
  });

  it('keeps short names and shortens long ones deterministically to ≤ 63 bytes', () => {
    expect(generatedName('pgshift_nn_users_email')).toBe('pgshift_nn_users_email');
    const long = `pgshift_sync_${'a'.repeat(40)}_${'b'.repeat(40)}_c`;
    const other = `pgshift_sync_${'a'.repeat(40)}_${'b'.repeat(40)}_d`;
    expect(Buffer.byteLength(generatedName(long))).toBeLessThanOrEqual(63);
    expect(generatedName(long)).toBe(generatedName(long));
    expect(generatedName(long)).not.toBe(generatedName(other));
    expect(Buffer.byteLength(generatedName('é'.repeat(60)))).toBeLessThanOrEqual(63);
  });
});
