/**
 * The recorder behind the entity model cache (src/entity-loader/load-inputs.ts): every kind of input a
 * load reads is recorded, and a change to any of them is found; reads it cannot follow make the load
 * uncacheable. No database: the recorder only watches a load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedInput, recordLoadInputs, replayEnvWrites } from '../../src/entity-loader/load-inputs';

const nodeRequire = createRequire(__filename);
/** fs as CommonJS code (a project's config and entities) sees it: the module object the recorder patches. */
const fs = nodeRequire('node:fs') as typeof import('node:fs');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    for (const key of Object.keys(nodeRequire.cache)) if (key.startsWith(dir)) delete nodeRequire.cache[key];
    rmSync(dir, { recursive: true, force: true });
  }
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-inputs-'));
  dirs.push(dir);
  return dir;
}

describe('recordLoadInputs', () => {
  it('records files, folder listings, probes and variables, and finds a change to each', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'settings.json'), '{"n":1}');
    delete process.env.PGSHIFT_TEST_INPUT;
    const { inputs, uncacheable } = await recordLoadInputs([], async () => {
      fs.readFileSync(join(dir, 'settings.json'), 'utf8');
      fs.readdirSync(dir);
      fs.existsSync(join(dir, 'optional.ts'));
      return process.env.PGSHIFT_TEST_INPUT;
    });
    expect(uncacheable).toBeUndefined();
    expect(changedInput(inputs)).toBeUndefined();

    process.env.PGSHIFT_TEST_INPUT = 'x';
    expect(changedInput(inputs)).toBe('$PGSHIFT_TEST_INPUT');
    delete process.env.PGSHIFT_TEST_INPUT;

    writeFileSync(join(dir, 'settings.json'), '{"n":2}');
    expect(changedInput(inputs)).toBe(join(dir, 'settings.json'));
    writeFileSync(join(dir, 'settings.json'), '{"n":1}');
    expect(changedInput(inputs)).toBeUndefined();

    writeFileSync(join(dir, 'optional.ts'), ''); // a new file: the listing and the probe both change
    expect(changedInput(inputs)).toBe(dir);
  });

  it('finds a new file that would take an import\'s place', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'main.js'), "module.exports = require('./part');\n");
    writeFileSync(join(dir, 'part.json'), '{"from":"json"}');
    const { value, inputs } = await recordLoadInputs([], async () => nodeRequire(join(dir, 'main.js')) as { from: string });
    expect(value.from).toBe('json');
    expect(changedInput(inputs)).toBeUndefined();
    writeFileSync(join(dir, 'part.js'), "module.exports = { from: 'js' };\n"); // `./part` now resolves to part.js
    expect(changedInput(inputs)).toBe(join(dir, 'part.json'));
  });

  it('does not record the ignored folders, and reads it cannot follow make the load uncacheable', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'cached.js'), '');
    const ignored = await recordLoadInputs([dir], async () => fs.readFileSync(join(dir, 'cached.js')));
    expect(ignored.inputs.files).toEqual({});
    expect(Object.keys((await recordLoadInputs([], async () => fs.readFileSync(join(dir, 'cached.js')))).inputs.files)).toEqual([join(dir, 'cached.js')]);
    const asynchronous = await recordLoadInputs([], () => fs.promises.readdir(dir));
    expect(asynchronous.uncacheable).toMatch(/fs\.promises\.readdir/);
    const promised = await recordLoadInputs([], () => fs.promises.readFile(join(dir, 'cached.js')));
    expect(promised.uncacheable).toBeUndefined();
    expect(Object.keys(promised.inputs.files)).toEqual([join(dir, 'cached.js')]);
  });

  it('an enumeration of the whole environment by the load keys on all of it; variables it sets are set again on a hit', async () => {
    delete process.env.PGSHIFT_TEST_SET;
    const { inputs } = await recordLoadInputs([], async () => {
      process.env.PGSHIFT_TEST_SET = 'from .env';
      return Object.keys(process.env).length;
    });
    expect(inputs.env['*']).toBeDefined();
    expect(inputs.envWrites).toEqual({ PGSHIFT_TEST_SET: 'from .env' });
    delete process.env.PGSHIFT_TEST_SET;
    expect(changedInput(inputs)).toBe('$*'); // recorded after the write: a fresh run's environment differs
    replayEnvWrites(inputs);
    expect(process.env.PGSHIFT_TEST_SET).toBe('from .env');
    delete process.env.PGSHIFT_TEST_SET;
  });
});
