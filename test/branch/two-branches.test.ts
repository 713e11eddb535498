/**
 * Two branches that each added a migration, on a real git repository: after the merge `check` exits 2
 * naming both version-2 pairs, and `pgshift rebase` renumbers the branch's file after main's and plans
 * it again against main's schema (a column main already added is reported, not written).
 * Also: a file numbered below the live database's version that it never applied.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { migrationsFolder } from '../runner/helpers';

const ENTITY = `import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;
  // slot a
  @Column({ type: 'text' })
  name!: string;
  @Column({ type: 'integer', default: 0 })
  score!: number;
  @Column({ type: 'text', nullable: true })
  note!: string | null;
  // slot b
  @Column({ type: 'boolean', default: false })
  active!: boolean;
  @Column({ type: 'text', nullable: true })
  email!: string | null;
  @Column({ type: 'text', nullable: true })
  phone!: string | null;
  // slot c
}

export default new DataSource({ type: 'postgres', entities: [User] });
`;

const column = (name: string) => `\n  @Column({ type: 'text', nullable: true })\n  ${name}!: string | null;`;

describe('two branches that both added migrations', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();
  const pgshift = (...args: string[]) => runCli(args, { cwd: repo, env: { DATABASE_URL: undefined } });
  const edit = (slots: Record<string, string>) => {
    let text = readFileSync(join(repo, 'ormconfig.ts'), 'utf8');
    for (const [slot, name] of Object.entries(slots)) text = text.replace(`// slot ${slot}`, `// slot ${slot}${column(name)}`);
    writeFileSync(join(repo, 'ormconfig.ts'), text);
  };
  const migrations = () => readdirSync(join(repo, 'migrations')).filter((f) => f.endsWith('.sql')).sort();

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'pgshift-git-'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'));
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    writeFileSync(join(repo, 'ormconfig.ts'), ENTITY);
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'dev');
    expect((await pgshift('gen', 'diff', 'init', '--create-dir')).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'init');

    git('checkout', '-qb', 'feature');
    edit({ a: 'avatar', b: 'bio' });
    expect((await pgshift('gen', 'diff', 'add_profile')).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'profile');

    git('checkout', '-q', 'main');
    edit({ b: 'bio', c: 'nickname' });
    expect((await pgshift('gen', 'diff', 'add_bio_nickname')).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'bio and nickname');

    git('checkout', '-q', 'feature');
    git('merge', '-q', '--no-edit', 'main');
  }, 180_000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('check names both version-2 pairs and exits 2; rebase renumbers and re-plans; check is then clean', async () => {
    expect(migrations()).toEqual([
      '000001_init.down.sql', '000001_init.up.sql',
      '000002_add_bio_nickname.down.sql', '000002_add_bio_nickname.up.sql',
      '000002_add_profile.down.sql', '000002_add_profile.up.sql',
    ]);
    const check = await pgshift('check');
    expect(check.code).toBe(2);
    expect(check.stdout).toContain('version 2 is used by 2 migrations: 000002_add_bio_nickname and 000002_add_profile');
    expect(check.stdout).toContain('pgshift rebase');

    const dry = await pgshift('rebase', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(migrations()).toContain('000002_add_profile.up.sql');

    const rebase = await pgshift('rebase');
    expect(rebase.code, rebase.stderr).toBe(0);
    expect(rebase.stdout).toContain("after main's version 2");
    expect(rebase.stdout).toContain('000003_add_profile.up.sql / .down.sql');
    expect(rebase.stdout).toMatch(/no longer applies \(main already has it\): add column users\.bio/);
    expect(migrations()).toEqual([
      '000001_init.down.sql', '000001_init.up.sql',
      '000002_add_bio_nickname.down.sql', '000002_add_bio_nickname.up.sql',
      '000003_add_profile.down.sql', '000003_add_profile.up.sql',
    ]);
    const up = readFileSync(join(repo, 'migrations', '000003_add_profile.up.sql'), 'utf8');
    expect(up).toContain('ADD COLUMN "avatar"');
    expect(up).not.toContain('"bio"');

    const after = await pgshift('check');
    expect(after.code, after.stdout + after.stderr).toBe(0);
    const again = await pgshift('rebase');
    expect(again.stdout).toContain("Already rebased");
  }, 180_000);
});

describe('a file older than the database that it never applied', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase('pgshift_branch'); });
  afterAll(async () => { await db.drop(); });

  it('check --database-url exits 2 naming it', async () => {
    const folder = migrationsFolder();
    try {
      folder.write(1, 'a', 'CREATE TABLE a (id int);', 'DROP TABLE a;');
      folder.write(2, 'b', 'CREATE TABLE b (id int);', 'DROP TABLE b;');
      folder.write(4, 'd', 'CREATE TABLE d (id int);', 'DROP TABLE d;');
      expect((await runCli(['up', '-d', folder.dir, '--database-url', db.url])).code).toBe(0);
      folder.write(3, 'c', 'CREATE TABLE c (id int);', 'DROP TABLE c;');
      const check = await runCli(['check', '-d', folder.dir, '--database-url', db.url, '-c', 'test/fixtures/basic/ormconfig.ts']);
      expect(check.code).toBe(2);
      expect(check.stdout).toContain("000003_c.up.sql is older than the database's version 4 but was never applied to it");
    } finally {
      folder.remove();
    }
  });
});
