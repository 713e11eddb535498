/**
 * How files are loaded: the transpile cache (a warm run never loads TypeScript), the require cache
 * (an edited entity is seen by the next load), the `.ts` handler (installed only during a load), and
 * the config shapes that are accepted.
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataSource, loadEntityModel } from '../../src/entity-loader';

const ROOT = resolve(__dirname, '../..');
const nodeRequire = createRequire(__filename);
// Under the repo (so `typeorm` resolves) but outside git: .pgshift/ is ignored.
mkdirSync(join(ROOT, '.pgshift'), { recursive: true });
const scratch = mkdtempSync(join(ROOT, '.pgshift', 'loader-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const typescriptModules = () => Object.keys(nodeRequire.cache).filter((key) => /[\\/](ts-morph|@ts-morph)[\\/]/.test(key));

describe('the transpile cache', () => {
  it('compiles on a miss, and a warm load never requires ts-morph', async () => {
    const cacheDir = join(scratch, 'cache');
    const cold = await loadDataSource('test/fixtures/relations/ormconfig.ts', { cwd: ROOT, cacheDir });
    expect(cold.cache.hits).toBe(0);
    expect(cold.cache.misses).toBe(6); // the config and five entity files
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.js'))).toHaveLength(6);

    // Forget TypeScript: a warm load that needed it would have to require it again.
    for (const key of typescriptModules()) delete nodeRequire.cache[key];
    const warm = await loadDataSource('test/fixtures/relations/ormconfig.ts', { cwd: ROOT, cacheDir });
    expect(warm.cache).toEqual({ hits: 6, misses: 0 });
    expect(typescriptModules()).toEqual([]);
    expect(warm.dataSource.entityMetadatas.length).toBe(cold.dataSource.entityMetadatas.length);
  });

  it('keeps a model equal between a cold and a warm load', async () => {
    const cacheDir = join(scratch, 'cache-equal');
    const cold = await loadEntityModel('test/fixtures/enums/ormconfig.ts', { cwd: ROOT, cacheDir });
    const warm = await loadEntityModel('test/fixtures/enums/ormconfig.ts', { cwd: ROOT, cacheDir });
    expect(warm.model).toEqual(cold.model);
  });
});

describe('the require cache', () => {
  it('sees an edited entity file on the next load', async () => {
    const project = join(scratch, 'editable');
    mkdirSync(join(project, 'entities'), { recursive: true });
    writeFileSync(join(project, 'ormconfig.ts'), `import { DataSource } from 'typeorm';
import { Note } from './entities/Note';
export default new DataSource({ type: 'postgres', entities: [Note] });
`);
    const entity = (columns: string) => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity('notes')
export class Note {
  @PrimaryGeneratedColumn() id!: number;
${columns}
}
`;
    writeFileSync(join(project, 'entities', 'Note.ts'), entity('  @Column() title!: string;'));
    const first = await loadEntityModel('ormconfig.ts', { cwd: project });
    expect(first.model.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'title']);
    expect(first.configPath).toBe(join(project, 'ormconfig.ts'));
    expect(Object.keys(nodeRequire.cache).filter((key) => key.startsWith(project))).toEqual([]);

    writeFileSync(join(project, 'entities', 'Note.ts'), entity('  @Column() title!: string;\n  @Column({ nullable: true }) body!: string;'));
    const second = await loadEntityModel('ormconfig.ts', { cwd: project });
    expect(second.model.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'title', 'body']);
  });

  it('installs the .ts handler only while loading', async () => {
    const before = nodeRequire.extensions['.ts'];
    await loadEntityModel('test/fixtures/naming-vectors/ormconfig.ts', { cwd: ROOT });
    expect(nodeRequire.extensions['.ts']).toBe(before);
    await expect(loadEntityModel('test/fixtures/syntax-error/ormconfig.ts', { cwd: ROOT })).rejects.toThrow(/syntax error/);
    expect(nodeRequire.extensions['.ts']).toBe(before);
  });
});

describe('config shapes', () => {
  it.each([
    ['export default new DataSource', 'test/fixtures/basic/ormconfig.ts'],
    ['export const AppDataSource, absolute glob', 'test/fixtures/relations/ormconfig.ts'],
    ['export = (module.exports)', 'test/fixtures/enums/ormconfig.ts'],
    ['a plain options object, relative glob', 'test/fixtures/indexes-checks/ormconfig.ts'],
    ['export const dataSource', 'test/fixtures/schemas-prefix/ormconfig.ts'],
    ['entities defined in the config file', 'test/fixtures/naming-vectors/ormconfig.ts'],
  ])('%s', async (_shape, config) => {
    const loaded = await loadEntityModel(config, { cwd: ROOT });
    expect(loaded.model.tables.length).toBeGreaterThan(0);
    expect(loaded.dataSourceOptions.type).toBe('postgres');
  });

  it('summarizes schema and entityPrefix', async () => {
    expect((await loadEntityModel('test/fixtures/schemas-prefix/ormconfig.ts', { cwd: ROOT })).dataSourceOptions)
      .toEqual({ type: 'postgres', schema: 'app', entityPrefix: 'pfx_' });
    expect((await loadEntityModel('ormconfig.ts', { cwd: ROOT })).dataSourceOptions)
      .toEqual({ type: 'postgres', schema: 'public', entityPrefix: '' });
  });
});
