import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/diff/diff';
import { partitionByContracts } from '../../src/planner/contracts';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { applyUp, createModel, decisions, filesText, planFor, render, renderContracts } from './support/expand-harness';
import { runScenario } from './support/scenario';
import { createTestDatabase } from '../helpers/db';

const USERS = { schema: 'public', name: 'users' };
const email = col('email', 'text');
const fullName = col('full_name', 'character varying(100)', { nullable: false, default: "'anon'::character varying" });
const name = { ...fullName, name: 'name' };
const before = model([withPk(table('users', [idColumn(), fullName, email], { indexes: [index('users_full_name_idx', ['full_name'])] }))]);
const after = model([withPk(table('users', [idColumn(), name, email], { indexes: [index('users_name_idx', ['name'])] }))]);
const rename = decisions({ columnRenames: [{ table: USERS, from: 'full_name', to: 'name' }] });
const ROWS = 6000;

describe('rename-column (pure)', () => {
  it('suggests --rename when a column disappears and one of the same type appears', () => {
    const plan = planFor(before, after, 15);
    // destructive-guard/drop-index-concurrently also name the drops of full_name and its index.
    const suggestions = plan.needs.filter((n) => n.rule === 'rename-column');
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]!.flag).toContain('--rename users.full_name=name');
    expect(suggestions[0]!.flag).toContain('--allow-destructive');
  });

  it('does not ask when --allow-destructive says the drop is meant', () => {
    const plan = planFor(before, after, 15, decisions({ allowDestructive: true }));
    expect(plan.trace.map((t) => t.rule)).not.toContain('rename-column');
  });

  it('plans the RenameColumn (which retires the old index), and covers its drops in the contract', () => {
    const plan = planFor(before, after, 15, rename);
    expect(plan.needs).toEqual([]);
    expect(plan.trace.map((t) => `${t.change.kind}:${t.rule}`).sort()).toEqual([
      'CreateIndex:create-index-concurrently', 'RenameColumn:rename-column',
    ]);
    expect(plan.steps.flatMap((s) => s.up.map((u) => u.sql))).not.toContainEqual(expect.stringMatching(/DROP COLUMN|RENAME COLUMN/));
    // What the re-diff shows after the expand is exactly what the pending contract covers.
    const afterExpand = model([withPk(table('users', [idColumn(), { ...fullName, default: null }, email, { ...name, default: null }], {
      indexes: [index('users_full_name_idx', ['full_name']), index('users_name_idx', ['name'])],
    }))]);
    const rediff = diffModels(afterExpand, after).changes;
    expect(rediff.length).toBeGreaterThan(0);
    const pending = plan.contracts.map((c) => ({ ...c, expandVersion: 1 }));
    expect(partitionByContracts(rediff, pending).rest).toEqual([]);
  });

  it('two renamed columns under one composite index: its re-creation is one step staged before both column drops', () => {
    const two = (a: string, b: string) => model([withPk(table('users', [idColumn(), { ...fullName, name: a }, { ...email, name: b }], { indexes: [index(`users_${a}_${b}_idx`, [a, b])] }))]);
    const plan = planFor(two('full_name', 'email'), two('name', 'mail'), 15,
      decisions({ columnRenames: [{ table: USERS, from: 'full_name', to: 'name' }, { table: USERS, from: 'email', to: 'mail' }] }));
    expect(plan.needs).toEqual([]);
    const files = renderContracts(plan.contracts, plan.steps.length);
    expect(files.map((f) => f.base.replace(/^\d+_/, ''))).toEqual([
      'drop_users_renamed_columns_objects', 'drop_users_full_name_after_rename', 'drop_users_email_after_rename',
    ]);
    const creates = files.map((f) => f.down.content.split('\n').filter((l) => l.includes('users_full_name_email_idx')).join('\n'));
    expect(creates[0]).toContain('CREATE INDEX "users_full_name_email_idx" ON "public"."users"');
    expect(creates[1]).toBe('');
    expect(creates[2]).toBe('');
  });

  it('refuses a rename of a primary-key column and a rename that also changes the type', () => {
    const pkRename = planFor(before, model([withPk(table('users', [idColumn('user_id'), fullName, email], { indexes: before.tables[0]!.indexes }), ['user_id'])]),
      15, decisions({ columnRenames: [{ table: USERS, from: 'id', to: 'user_id' }] }));
    expect(pkRename.needs.map((n) => n.reason)).toContainEqual(expect.stringContaining('primary key'));
    const retyped = planFor(before, model([withPk(table('users', [idColumn(), { ...name, dataType: 'text' }, email]))]), 15, rename);
    expect(retyped.needs[0]!.reason).toContain('type');
  });

  it('fills the NULLs a nullable column brings into its NOT NULL new name with that name\'s --backfill', () => {
    const nullable = model([withPk(table('users', [idColumn(), email]))]);
    const required = model([withPk(table('users', [idColumn(), col('mail', 'text', { nullable: false })]))]);
    const renameEmail = { columnRenames: [{ table: USERS, from: 'email', to: 'mail' }] };
    const withValue = planFor(nullable, required, 15, decisions({ ...renameEmail, backfills: new Map([['public.users.mail', "'unknown'"]]) }));
    expect(withValue.needs).toEqual([]);
    expect(withValue.backfillTargets).toEqual(['public.users.mail']);
    const slugs = withValue.steps.map((s) => s.slug);
    expect(slugs.indexOf('fill_users_mail_nulls')).toBeGreaterThan(slugs.indexOf('backfill_users_mail'));
    expect(withValue.steps.find((s) => s.slug === 'fill_users_mail_nulls')!.up.map((u) => u.sql).join('\n')).toContain(`"mail" = 'unknown'`);
    // Optional, as for set-not-null-via-check: without it the plan is the same minus the fill.
    expect(planFor(nullable, required, 15, decisions(renameEmail)).steps.map((s) => s.slug)).not.toContain('fill_users_mail_nulls');
  });

  it('renders reviewable SQL files (snapshots)', async () => {
    for (const version of [15, 18]) {
      const plan = planFor(before, after, version, rename);
      const files = { ...filesText(render(plan)), ...filesText(renderContracts(plan.contracts, plan.steps.length)) };
      for (const [file, text] of Object.entries(files)) await expect(text).toMatchFileSnapshot(`__snapshots__/rename-column/pg${version}/${file}`);
    }
  });
});

describe('rename-column on Postgres', () => {
  it('keeps old and new writers in sync in both directions, then drops the old column', async () => {
    await runScenario({
      from: before, to: after, decisions: rename,
      seed: [`INSERT INTO users (full_name, email) SELECT 'Person ' || g, 'p' || g || '@x.io' FROM generate_series(1, ${ROWS}) g`],
      // The index on the new column is another rule's change (create-index-concurrently); here `direct` builds it.
      // The contract's DROP COLUMN is the point of a contract: no deployed code reads full_name any more.
      checksums: {
        before: `SELECT id, full_name FROM users WHERE id > 2 AND id <= ${ROWS}`,
        afterExpand: `SELECT id, name FROM users WHERE id > 2 AND id <= ${ROWS}`,
        afterContract: `SELECT id, name FROM users WHERE id > 2 AND id <= ${ROWS}`,
      },
      afterExpand: async (c) => {
        expect((await c.query('SELECT count(*)::int AS n FROM users WHERE name IS DISTINCT FROM full_name')).rows[0].n).toBe(0);
        const oldApp = await c.query(`INSERT INTO users (full_name, email) VALUES ('Old Writer', 'o@x.io') RETURNING name`);
        expect(oldApp.rows[0].name).toBe('Old Writer');
        const newApp = await c.query(`INSERT INTO users (name, email) VALUES ('New Writer', 'n@x.io') RETURNING full_name`);
        expect(newApp.rows[0].full_name).toBe('New Writer');
        const byDefault = await c.query(`INSERT INTO users (email) VALUES ('d@x.io') RETURNING full_name, name`);
        expect(byDefault.rows[0]).toEqual({ full_name: 'anon', name: 'anon' });
        expect((await c.query(`UPDATE users SET full_name = 'Changed' WHERE id = 1 RETURNING name`)).rows[0].name).toBe('Changed');
        expect((await c.query(`UPDATE users SET name = 'Again' WHERE id = 2 RETURNING full_name`)).rows[0].full_name).toBe('Again');
        expect((await c.query(`UPDATE users SET email = 'e@x.io' WHERE id = 3 RETURNING name, full_name`)).rows[0]).toEqual({ name: 'Person 3', full_name: 'Person 3' });
      },
      afterContract: async (c) => {
        expect((await c.query(`INSERT INTO users (email) VALUES ('z@x.io') RETURNING name`)).rows[0].name).toBe('anon');
      },
    });
  });
});

describe('rename-column backfill under concurrent writes', () => {
  it('ends with both columns equal on every row while an old-shape writer keeps going', async () => {
    const db = await createTestDatabase();
    const migrator = await db.connect();
    const writer = await db.connect();
    try {
      await createModel(migrator, before);
      await migrator.query(`INSERT INTO users (full_name, email) SELECT 'Person ' || g, 'p' || g || '@x.io' FROM generate_series(1, 20000) g`);
      const files = render(planFor(before, after, 15, decisions({ ...rename, batchSize: 500 })));
      const at = files.findIndex((f) => f.base.includes('backfill'));
      expect(files[at]!.base).toContain('backfill');
      await applyUp(migrator, files.slice(0, at));
      let done = false;
      const backfill = migrator.query(files[at]!.up.content).finally(() => { done = true; });
      let writes = 0;
      // Bounded: at most 2000 writes, stops as soon as the backfill has finished.
      for (let i = 1; i <= 2000 && !done; i++) {
        const id = ((i * 7919) % 20000) + 1;
        if (i % 5 === 0) await writer.query(`INSERT INTO users (full_name, email) VALUES ($1, 'w@x.io')`, [`Writer ${i}`]);
        else await writer.query('UPDATE users SET full_name = $1 WHERE id = $2', [`Updated ${i}`, id]);
        writes++;
      }
      await backfill;
      expect(writes).toBeGreaterThan(0);
      expect((await migrator.query('SELECT count(*)::int AS n FROM users WHERE name IS DISTINCT FROM full_name')).rows[0].n).toBe(0);
    } finally {
      await migrator.end();
      await writer.end();
      await db.drop();
    }
  });
});
