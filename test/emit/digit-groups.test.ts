/** The headers' row estimates print as `toLocaleString('en-US')` would, without loading Intl. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupedDigits } from '../../src/emit/digit-groups';

describe('groupedDigits', () => {
  it('groups thousands with commas', () => {
    expect(groupedDigits(0)).toBe('0');
    expect(groupedDigits(999)).toBe('999');
    expect(groupedDigits(1000)).toBe('1,000');
    expect(groupedDigits(1234567)).toBe('1,234,567');
    expect(groupedDigits(-12345)).toBe('-12,345');
    expect(groupedDigits(-0)).toBe('-0');
  });

  it('prints every number exactly as toLocaleString("en-US") does', () => {
    const numbers = fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1e7, max: 1e7 }), fc.double({ noNaN: false }));
    fc.assert(fc.property(numbers, (n) => groupedDigits(n) === n.toLocaleString('en-US')), { numRuns: 2000 });
  });
});
