/**
 * Issue 12 part 4, the shadow side: the quirks fixture (rowid keys, array-of-enum defaults, @Check) is
 * planned from nothing, applied, re-diffed to empty and reverted — and its checks are written as the
 * entity gives them, not in the form Postgres re-prints. (The synchronize side is in the
 * TypeORM-compatibility loop, test/acceptance/typeorm-sync.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEntityModel } from '../../src/entity-loader';
import { evolveAndVerify } from '../helpers/acceptance';
import { REPO_ROOT } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

describe('TypeORM quirks round-trip through pgshift’s own plan', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('pgshift_quirks');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('plans, applies, re-diffs empty, reverts; checks keep the entity’s spelling', async () => {
    const { model } = await loadEntityModel('test/fixtures/typeorm-quirks/ormconfig.ts', { cwd: REPO_ROOT });
    const client = await db.connect();
    try {
      const { files } = await evolveAndVerify(client, model);
      const up = files.map((f) => f.up.content).join('\n');
      expect(up).toContain(`CHECK ("age" >= 18 AND "age" < 150)`);
      expect(up).toContain(`CHECK (length("name") > 0 AND "name" <> 'root')`);
      expect(up).not.toContain('(age >= 18)');
      expect(up).toMatch(/"id" (serial|SERIAL)/i);
      // The catalog holds the cooked form, which is what the next diff compares.
      const [stored] = await db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'members_age_check'`);
      expect(stored!.def).toBe('CHECK (((age >= 18) AND (age < 150)))');
    } finally {
      await client.end();
    }
  });
});
