/**
 * TypeScript for a transpile miss: loaded from @ts-morph/common's compiler file with V8's code cache kept
 * in the transpile cache folder. Across processes (each run is one): the first compiles from source and
 * stores the cache, the next loads from it with the same output, and a damaged cache file only costs
 * speed. In one process, the module sits in require's cache like a required one.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTypeScript, storeTypeScriptCodeCache } from '../../src/entity-loader/typescript-module';

const nodeRequire = createRequire(__filename);
const ROOT = resolve(__dirname, '../..');
mkdirSync(join(ROOT, '.pgshift'), { recursive: true });
const scratch = mkdtempSync(join(ROOT, '.pgshift', 'ts-code-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity('notes')
export class Note {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ length: 50 }) title!: string;
}
`;

/** One transpile in a fresh process, as one CLI run does it: how TypeScript was loaded, and the output. */
function transpileInNewProcess(cacheDir: string): { load: string; output: string } {
  const script = `
    const { transpileTypeScript } = require(${JSON.stringify(join(ROOT, 'src/entity-loader/transpile'))});
    const { lastTypeScriptLoad } = require(${JSON.stringify(join(ROOT, 'src/entity-loader/typescript-module'))});
    const output = transpileTypeScript(${JSON.stringify(SOURCE)}, 'note.ts', 'note.ts', ${JSON.stringify(cacheDir)});
    process.stdout.write(JSON.stringify({ load: lastTypeScriptLoad(), output }));`;
  const stdout = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as { load: string; output: string };
}

function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'code-cache')).map((f) => join(dir, 'code-cache', f));
  } catch {
    return [];
  }
}

describe('TypeScript with a code cache', () => {
  it('compiles from source once, then loads from the stored code cache with the same output', () => {
    const dir = join(scratch, 'cache');
    const first = transpileInNewProcess(dir);
    expect(first.load).toBe('source');
    expect(cacheFiles(dir)).toHaveLength(1);
    expect(cacheFiles(dir)[0]).toMatch(/typescript-[0-9a-f]{32}\.v8$/);
    expect(first.output).toContain('__metadata("design:type", String)');

    const second = transpileInNewProcess(dir);
    expect(second).toEqual({ load: 'code cache', output: first.output });
  }, 60_000);

  it('treats a damaged cache file as none: compiles from source, gives the same output, stores a good one', () => {
    const dir = join(scratch, 'damaged');
    const expected = transpileInNewProcess(dir).output;
    const [file] = cacheFiles(dir);
    writeFileSync(file!, Buffer.from('not a V8 code cache'));

    expect(transpileInNewProcess(dir)).toEqual({ load: 'source', output: expected });
    // Replaced by a real cache (megabytes of compiled code), which the next run uses.
    expect(statSync(file!).size).toBeGreaterThan(1_000_000);
    expect(transpileInNewProcess(dir)).toEqual({ load: 'code cache', output: expected });
  }, 60_000);

  it('is in require\'s cache once loaded, and a repeat is that module', () => {
    for (const key of Object.keys(nodeRequire.cache)) if (/[\\/]@ts-morph[\\/]/.test(key)) delete nodeRequire.cache[key];
    const ts = loadTypeScript(undefined);
    storeTypeScriptCodeCache();
    const cached = Object.entries(nodeRequire.cache).filter(([key]) => /[\\/]@ts-morph[\\/]common[\\/]dist[\\/]typescript\.js$/.test(key));
    expect(cached).toHaveLength(1);
    expect(cached[0]![1]!.exports).toBe(ts);
    expect(loadTypeScript(undefined)).toBe(ts);
    expect(typeof ts.transpileModule).toBe('function');
  });
});
