import { describe, expect, it } from 'vitest';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { destructiveGuard } from '../../src/planner/rules/destructive-guard';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { exercise } from './safe-exercise';
import { applyDown, applyUp, expectFileSnapshots, planModels, serverVersion } from './safe-helpers';
import { catalogSnapshot } from '../helpers/catalog-snapshot';
import { renderContracts } from './support/expand-harness';
import { createTestDatabase } from '../helpers/db';
import { expectSquawkClean } from '../helpers/squawk';
import { planState } from '../helpers/plan';
import { introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import { majorOf } from '../../src/planner/target-major';

const users = withPk(table('users', [
  idColumn(),
  col('email', 'text'),
  col('nickname', 'character varying(40)', { nullable: false, comment: 'shown in the UI' }),
  col('score', 'integer', { nullable: false, default: '0' }),
]));
const without = (...names: string[]) => ({ ...users, columns: users.columns.filter((c) => !names.includes(c.name)) });
const BEFORE = `
  CREATE TABLE users (id serial PRIMARY KEY, email text, nickname varchar(40) NOT NULL, score integer NOT NULL DEFAULT 0);
  COMMENT ON COLUMN users.nickname IS 'shown in the UI';
  INSERT INTO users (email, nickname, score) SELECT 'u' || g, 'nick' || g, g FROM generate_series(1, 5000) g;`;

describe('destructive-guard', () => {
  it('refuses a dropped column without --allow-destructive, naming the flag', () => {
    const { plan } = planModels(model([users]), model([without('nickname')]), 15);
    expect(plan.steps).toEqual([]);
    expect(plan.needs).toEqual([expect.objectContaining({ rule: 'destructive-guard', flag: '--allow-destructive' })]);
    expect(plan.needs[0]!.reason).toMatch(/deletes the data of users\.nickname/);
    expect(plan.needs[0]!.wouldDo).toMatch(/an expand that watches the column.*then a contract \(gen diff --contract, held by the contract gate.*DROP COLUMN "nickname"/);
  });

  it('suggests --rename when the same table gains a column', () => {
    const renamed = { ...without('nickname'), columns: [...without('nickname').columns, col('handle', 'character varying(40)', { nullable: false })] };
    const { plan } = planModels(model([users]), model([renamed]), 15);
    // rename-column suggests the same rename from the added column's side; either flag resolves both.
    expect(plan.needs.map((n) => n.flag)).toEqual([
      '--allow-destructive (or --rename users.nickname=handle if handle is nickname renamed)',
      '--rename users.nickname=handle  (or --allow-destructive to really drop nickname)',
    ]);
  });

  it('names every refusal of a run, indexes and constraints included', () => {
    const from = model([{ ...users, indexes: [index('users_email_idx', ['email'])], checks: [{ name: 'users_score_check', expression: '(score >= 0)' }] }]);
    const { plan } = planModels(from, model([without('email')]), 15);
    expect(plan.needs.map((n) => `${n.rule}: ${n.reason.split(':')[0]}`).sort()).toEqual([
      'destructive-guard: drop check users_score_check on users',
      'destructive-guard: drop column users.email',
      'drop-index-concurrently: drop index users_email_idx on users',
    ]);
    expect(plan.needs.every((n) => n.flag.startsWith('--allow-destructive'))).toBe(true);
  });

  it('refuses dropping a table, an enum or enum labels (reached with dropUnmanaged) and passes a pure reorder', () => {
    const status = { schema: 'public', name: 'status', values: ['a', 'b', 'c'] };
    const ctx = { from: model([users]), to: model([users]), decisions: NO_DECISIONS, targetMajor: 15, rowEstimates: new Map(), newTables: new Set<string>() };
    const kinds = [
      destructiveGuard.plan({ kind: 'DropTable', table: { schema: 'public', name: 'users' }, definition: users }, ctx),
      destructiveGuard.plan({ kind: 'DropEnum', enumType: status }, ctx),
      destructiveGuard.plan({ kind: 'RebuildEnum', from: status, to: { ...status, values: ['a', 'c'] }, usages: [] }, ctx),
      destructiveGuard.plan({ kind: 'DropSchema', schema: 'legacy' }, ctx),
    ];
    expect(kinds.map((k) => k.kind)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(kinds[2]?.kind === 'refused' && kinds[2].request.reason).toMatch(/removes label\(s\) b/);
    expect(destructiveGuard.claims({ kind: 'RebuildEnum', from: status, to: { ...status, values: ['c', 'b', 'a'] }, usages: [] }, ctx)).toBe(false);
  });

  it('with the flag, a column of a table that stays: an expand that watches it, the drop a pending contract (snapshot)', async () => {
    const { plan, files } = planModels(model([users]), model([without('nickname', 'score')]), 15, { allowDestructive: true });
    expect(plan.steps.map((s) => s.phase)).toEqual(['expand', 'expand']);
    expect(plan.contracts.map((c) => c.id)).toEqual(['drop-column:public.users.nickname', 'drop-column:public.users.score']);
    const up = plan.steps.flatMap((s) => s.up.map((u) => u.sql.split('\n')[0]));
    // A default moves into the trigger; a NOT NULL column without one stays NOT NULL, the trigger fills a placeholder.
    expect(up).toContain('ALTER TABLE "public"."users" ALTER COLUMN "score" DROP DEFAULT');
    expect(up.filter((s) => /NOT NULL/.test(s!))).toEqual([]);
    expect(up.some((s) => s!.startsWith('ALTER TABLE "public"."users" DROP COLUMN'))).toBe(false);
    const contracts = renderContracts(plan.contracts, files.length);
    const drops = contracts.flatMap((f) => f.up.content.split('\n')).filter((l) => /^ALTER TABLE .* DROP COLUMN/.test(l));
    expect(drops).toEqual(['ALTER TABLE "public"."users" DROP COLUMN "nickname";', 'ALTER TABLE "public"."users" DROP COLUMN "score";']);
    await expectFileSnapshots([...files, ...contracts], 'destructive-guard/drop-columns');
  });

  it('a watched drop on a real server: old writes are noted, new code inserts without the column, the contract drops it, every down restores the schema', async () => {
    const db = await createTestDatabase('pgshift_watched_drop');
    const client = await db.connect();
    try {
      await client.query(BEFORE);
      const before = await catalogSnapshot(client);
      const { plan, files } = planModels(model([users]), model([without('nickname', 'score')]), majorOf(await serverVersion(client)), { allowDestructive: true });
      const contracts = renderContracts(plan.contracts, files.length);
      expectSquawkClean([...files, ...contracts], await serverVersion(client));
      await applyUp(client, files);
      const noted = async (id: string) => (await client.query<{ w: Date | null }>('SELECT last_old_write AS w FROM pgshift_contract_usage WHERE contract = $1', [id])).rows[0]!.w;
      const reset = () => client.query('UPDATE pgshift_contract_usage SET last_old_write = NULL');
      // New code leaves both columns out: it inserts (score gets its default from the trigger, the NOT NULL
      // nickname a placeholder), nothing is noted.
      await client.query("INSERT INTO users (email) VALUES ('new@app')");
      expect((await client.query("SELECT nickname, score FROM users WHERE email = 'new@app'")).rows).toEqual([{ nickname: '', score: 0 }]);
      await client.query("UPDATE users SET email = 'new2@app' WHERE email = 'new@app'");
      expect(await noted('drop-column:public.users.nickname')).toBeNull();
      expect(await noted('drop-column:public.users.score')).toBeNull();
      // Old code sets them: noted.
      await client.query("INSERT INTO users (email, nickname, score) VALUES ('old@app', 'old', 7)");
      expect(await noted('drop-column:public.users.nickname')).not.toBeNull();
      expect(await noted('drop-column:public.users.score')).not.toBeNull();
      await reset();
      // A new session: one session notes at most once a second (contract-usage.ts).
      await db.query("UPDATE users SET score = score + 1 WHERE email = 'old@app'");
      expect(await noted('drop-column:public.users.score')).not.toBeNull();
      expect(await noted('drop-column:public.users.nickname'), 'an update that leaves it unchanged').toBeNull();
      // The re-diff after the expand: only what the pending contracts explain.
      expect(planState(await introspect(client), model([without('nickname', 'score')]), { targetMajor: 15, decisions: { ...NO_DECISIONS, allowDestructive: true }, pendingContracts: plan.contracts }).changes).toEqual([]);
      const afterExpand = await catalogSnapshot(client);
      await applyUp(client, contracts);
      expect(diffModels(await introspect(client), model([without('nickname', 'score')])).changes).toEqual([]);
      expect((await client.query('SELECT count(*)::int AS n FROM pgshift_contract_usage')).rows).toEqual([{ n: 0 }]);
      await applyDown(client, contracts);
      // The contract's down comes back to the state after the expand (trigger, column without its default).
      expect(await catalogSnapshot(client)).toEqual(afterExpand);
      await applyDown(client, files);
      // The bookkeeping stays, like schema_migrations (src/planner/contract-usage.ts): not part of the comparison.
      await client.query('DROP TABLE pgshift_contract_usage; DROP FUNCTION pgshift_contract_note_write(text); DROP FUNCTION pgshift_contract_reads(text, text)');
      expect(await catalogSnapshot(client)).toEqual(before);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it('runs a drop of a table and its foreign key with the flags', async () => {
    const orgs = withPk(table('orgs', [idColumn()]));
    const members = withPk(table('members', [idColumn(), col('org_id', 'integer')]), ['id']);
    const membersFk = { ...members, foreignKeys: [{ name: 'members_org_id_fkey', columns: ['org_id'], referencedTable: { schema: 'public', name: 'orgs' }, referencedColumns: ['id'], onDelete: 'NO ACTION' as const, onUpdate: 'NO ACTION' as const, deferrable: 'not deferrable' as const }] };
    await exercise({
      before: `CREATE TABLE orgs (id serial PRIMARY KEY); CREATE TABLE members (id serial PRIMARY KEY, org_id integer REFERENCES orgs (id));
        INSERT INTO orgs SELECT FROM generate_series(1, 10); INSERT INTO members (org_id) SELECT 1 + g % 10 FROM generate_series(1, 1000) g;`,
      target: 'CREATE TABLE orgs (id serial PRIMARY KEY);',
      from: model([orgs, membersFk]),
      to: model([orgs]),
      // A table no entity describes is unmanaged: the CLI drops it only with --drop-unmanaged as well.
      decisions: { allowDestructive: true, dropUnmanaged: true },
    });
  });
});
