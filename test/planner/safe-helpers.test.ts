import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatedName } from '../../src/planner/generated-name';
import { newIndexName, oldObjectName } from '../../src/planner/names';
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

  it('helper names fit 63 bytes, deterministically (sha1 suffix past the limit)', () => {
    expect(newIndexName('users_email_key')).toBe('users_email_key_pgshift_new');
    expect(oldObjectName('users_email_idx')).toBe('users_email_idx_pgshift_old');
    const long = newIndexName('a'.repeat(60));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long).toBe(newIndexName('a'.repeat(60)));
    expect(long).not.toBe(newIndexName(`${'a'.repeat(59)}b`));
    expect(long.endsWith(`_${createHash('sha1').update(`${'a'.repeat(60)}_pgshift_new`).digest('hex').slice(0, 8)}`)).toBe(true);
    expect(generatedName('short')).toBe('short');
  });
});

describe('squawk as the tests run it', () => {
  it('flags what the direct rule alone would emit (negative control)', () => {
    const items = withPk(table('items', [idColumn(), col('sku', 'text')]));
    const { files } = planModels(model([items]), model([{ ...items, indexes: [index('items_sku_idx', ['sku'])] }]), 15, {}, [direct]);
    expect(squawk(files, 15).map((v) => v.rule)).toContain('require-concurrent-index-creation');
  });
});
