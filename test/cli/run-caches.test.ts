/**
 * The run caches (src/pipeline/model-cache.ts, state-cache.ts) through the real CLI on the embedded warm
 * shadow: a second run with nothing changed hits both and answers the same, and every kind of change —
 * an entity, a helper file an entity imports, the config, a variable the config reads, a new file the
 * entity glob matches, a migration file — is a miss that the answer shows. A stale entry must never make
 * `check` pass nor `gen diff` miss a change. Each case has its own cache folder and warm server.
 */
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopWarmServers } from '../../src/shadow/warm-server';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

const CONFIG = `import { join } from 'node:path';
import { DataSource } from 'typeorm';

export default new DataSource({
  type: 'postgres',
  entities: [join(__dirname, 'entities', '*.ts')],
});
`;

const ITEM = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { NAME_LENGTH } from '../lengths';

@Entity({ name: 'items' })
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: NAME_LENGTH })
  name!: string;

  @Column({ type: 'varchar', length: Number(process.env.CODE_LENGTH ?? 10) })
  code!: string;
}
`;

const TAG = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'tags' })
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text' })
  label!: string;
}
`;

interface Project {
  readonly root: string;
  readonly cache: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
}

/** A project beside the repository's node_modules (so `typeorm` resolves), its first migration written by pgshift. */
async function project(): Promise<Project> {
  mkdirSync(join(REPO_ROOT, '.pgshift'), { recursive: true });
  const root = mkdtempSync(join(REPO_ROOT, '.pgshift', 'run-caches-'));
  const cache = mkdtempSync(join(tmpdir(), 'pgshift-run-caches-'));
  chmodSync(cache, 0o755);
  cleanup.push(() => {
    stopWarmServers(cache);
    rmSync(cache, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });
  mkdirSync(join(root, 'entities'));
  writeFileSync(join(root, 'ormconfig.ts'), CONFIG);
  writeFileSync(join(root, 'lengths.ts'), 'export const NAME_LENGTH = 100;\n');
  writeFileSync(join(root, 'entities', 'Item.ts'), ITEM);
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, {
    cwd: root, env: { DATABASE_URL: undefined, PGSHIFT_SHADOW_URL: undefined, PGSHIFT_CACHE: undefined, CODE_LENGTH: undefined, PGSHIFT_CACHE_DIR: cache, ...env },
  });
  const init = await run(['gen', 'diff', 'init', '--create-dir']);
  expect(init.code, init.stdout + init.stderr).toBe(0);
  return { root, cache, run };
}

/** The `caches: {…}` line of a `--verbose` run. */
function caches(result: CliResult): Record<string, string> {
  const match = /caches: (\{.*\})/.exec(result.stderr);
  expect(match, result.stderr).not.toBeNull();
  return JSON.parse(match![1]!) as Record<string, string>;
}

const dryRun = ['gen', 'diff', '--dry-run', '--verbose'];

describe('the run caches', () => {
  it('a second run with nothing changed hits both caches and gives the same answer; any edit is a miss the answer shows', async () => {
    const p = await project();
    const first = await p.run(dryRun);
    expect(first.stdout).toMatch(/No changes/);
    expect(caches(first)).toEqual({ 'entity model': 'hit', 'shadow state': 'miss' }); // the init run stored the model
    const second = await p.run(dryRun);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(caches(second)).toEqual({ 'entity model': 'hit', 'shadow state': 'hit' });
    expect((await p.run(['check'])).code).toBe(0);

    // A helper file an entity imports.
    writeFileSync(join(p.root, 'lengths.ts'), 'export const NAME_LENGTH = 140;\n');
    const helper = await p.run(dryRun);
    expect(caches(helper)['entity model']).toMatch(/^miss \(.*lengths\.ts changed\)$/);
    expect(helper.stdout).toMatch(/varchar\(140\)/);
    expect((await p.run(['check'])).code).toBe(2);
    writeFileSync(join(p.root, 'lengths.ts'), 'export const NAME_LENGTH = 100;\n');
    expect((await p.run(['check'])).code).toBe(0);

    // The entity itself.
    writeFileSync(join(p.root, 'entities', 'Item.ts'), ITEM.replace("type: 'varchar', length: NAME_LENGTH", "type: 'varchar', length: NAME_LENGTH, nullable: true"));
    const entity = await p.run(dryRun);
    expect(caches(entity)['entity model']).toMatch(/Item\.ts changed/);
    expect(entity.stdout).toMatch(/DROP NOT NULL/);
    expect((await p.run(['check'])).code).toBe(2);
    writeFileSync(join(p.root, 'entities', 'Item.ts'), ITEM);
    expect((await p.run(['check'])).code).toBe(0);

    // A variable the entity reads.
    const variable = await p.run(dryRun, { CODE_LENGTH: '12' });
    expect(caches(variable)['entity model']).toMatch(/CODE_LENGTH changed/);
    expect(variable.stdout).toMatch(/varchar\(12\)/);
    expect((await p.run(['check'], { CODE_LENGTH: '12' })).code).toBe(2);
    expect((await p.run(['check'])).code).toBe(0);

    // A new file the config's glob matches.
    writeFileSync(join(p.root, 'entities', 'Tag.ts'), TAG);
    const added = await p.run(dryRun);
    expect(caches(added)['entity model']).toMatch(/entities\/? changed/);
    expect(added.stdout).toMatch(/CREATE TABLE "public"\."tags"/);
    expect((await p.run(['check'])).code).toBe(2);
    rmSync(join(p.root, 'entities', 'Tag.ts'));
    expect((await p.run(['check'])).code).toBe(0);

    // The config.
    writeFileSync(join(p.root, 'ormconfig.ts'), CONFIG.replace("type: 'postgres',", "type: 'postgres',\n  entityPrefix: 'app_',"));
    const config = await p.run(dryRun);
    expect(caches(config)['entity model']).toMatch(/ormconfig\.ts changed/);
    expect(config.stdout + config.stderr).toMatch(/app_items/);
    expect((await p.run(['check'])).code).toBe(2);
  }, 240_000);

  it('an edited or added migration file is a miss of the shadow state: check fails as a full replay does', async () => {
    const p = await project();
    expect((await p.run(['check'])).code).toBe(0);
    expect(caches(await p.run(dryRun))).toEqual({ 'entity model': 'hit', 'shadow state': 'hit' });
    const [up] = readdirSync(join(p.root, 'migrations')).filter((f) => f.endsWith('.up.sql'));
    const upFile = join(p.root, 'migrations', up!);
    const original = readFileSync(upFile, 'utf8');
    appendFileSync(upFile, '\nALTER TABLE items ADD COLUMN stray int;\n');
    const edited = await p.run(dryRun);
    expect(caches(edited)['shadow state']).toBe('miss');
    expect(edited.stdout + edited.stderr).toMatch(/stray/);
    expect((await p.run(['check'])).code).toBe(2);
    // Failing to replay: never answered from the cache, not even once the same text was cached before.
    writeFileSync(upFile, `${original}\nSELECT * FROM no_such_table;\n`);
    const broken = await p.run(['check']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/failed on the shadow database: relation "no_such_table" does not exist/);
    writeFileSync(upFile, original);
    expect((await p.run(['check'])).code).toBe(0);
    // A new file after the cached ones.
    writeFileSync(join(p.root, 'migrations', '000002_more.up.sql'), 'ALTER TABLE items ADD COLUMN later int;\n');
    writeFileSync(join(p.root, 'migrations', '000002_more.down.sql'), 'ALTER TABLE items DROP COLUMN later;\n');
    const later = await p.run(dryRun);
    expect(caches(later)['shadow state']).toBe('miss');
    expect(later.stdout + later.stderr).toMatch(/later/);
  }, 240_000);

  it('--no-cache and PGSHIFT_CACHE=off neither use nor store the caches; --shadow-url and --database-url never use the shadow state', async () => {
    const p = await project();
    const states = () => readdirSync(join(p.cache, 'states')).length;
    const before = states(); // the init run's (no migration files yet)
    const off = await p.run(['--no-cache', ...dryRun]);
    expect(off.stdout).toMatch(/No changes/);
    expect(caches(off)).toEqual({ 'entity model': 'off', 'shadow state': 'unused' });
    expect(caches(await p.run(dryRun, { PGSHIFT_CACHE: 'off' }))).toEqual({ 'entity model': 'off', 'shadow state': 'unused' });
    expect(states()).toBe(before);
    expect(caches(await p.run(dryRun))['shadow state']).toBe('miss');
    expect(caches(await p.run(dryRun, { PGSHIFT_WARM_SHADOW: '0' }))['shadow state']).toBe('unused');
  }, 240_000);
});
