/**
 * TypeScript → CommonJS with decorator metadata. TypeORM reads `design:type` to pick a column's type when
 * none is given, and esbuild/tsx never emit it, so we use the TypeScript compiler bundled in ts-morph.
 *
 * TypeScript costs a few hundred milliseconds to load, so it is loaded lazily (./typescript-module.ts),
 * only when the on-disk cache (./transpile-cache.ts) misses: a warm run never loads it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PgshiftError } from '../errors';
import { checkDecoratorOptions } from './decorator-options';
import { loadTypeScript, storeTypeScriptCodeCache, type TsModule } from './typescript-module';

// The real Node require, also when this file runs inside a test runner's own module system.
const nodeRequire = createRequire(__filename);

/**
 * Fixed compiler options, independent of the project's tsconfig, so that every project loads alike.
 *  - `strict: false` (TypeScript 6 makes strict the default): without strictNullChecks a `Date | null`
 *    property still gets `design:type` Date; with it, Object, which TypeORM rejects.
 *  - ES2021 keeps `useDefineForClassFields` off, as in the TypeORM projects this loads.
 */
export const COMPILER_OPTIONS = {
  module: 'commonjs',
  target: 'es2021',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  strict: false,
  strictNullChecks: false,
  sourceMap: false,
  inlineSourceMap: false,
} as const;

let compilerIdentity: string | undefined;

/**
 * A string naming the exact compiler, read from package.json files so that computing a cache key never
 * loads TypeScript itself. ts-morph pins the TypeScript version it bundles, so its version (and that of
 * @ts-morph/common, which holds the compiler) identifies the compiler.
 */
export function compilerVersion(): string {
  if (compilerIdentity !== undefined) return compilerIdentity;
  const versions: string[] = [];
  try {
    const entry = nodeRequire.resolve('ts-morph');
    const tsMorphDir = findPackageDir(entry, 'ts-morph');
    versions.push(`ts-morph@${readVersion(tsMorphDir)}`);
    const commonEntry = createRequire(join(tsMorphDir, 'package.json')).resolve('@ts-morph/common');
    versions.push(`@ts-morph/common@${readVersion(findPackageDir(commonEntry, '@ts-morph/common'))}`);
  } catch {
    versions.push('ts-morph@unknown');
  }
  compilerIdentity = versions.join(' ');
  return compilerIdentity;
}

function findPackageDir(entryFile: string, name: string): string {
  let dir = dirname(entryFile);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === name) return dir;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found above ${entryFile}`);
    dir = parent;
  }
}

function readVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

let parsedOptions: import('ts-morph').ts.CompilerOptions | undefined;

function compilerOptions(ts: TsModule): import('ts-morph').ts.CompilerOptions {
  if (parsedOptions) return parsedOptions;
  const { options, errors } = ts.convertCompilerOptionsFromJson(COMPILER_OPTIONS, process.cwd());
  if (errors.length > 0) {
    throw new Error(`pgshift's compiler options were rejected: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n')}`);
  }
  parsedOptions = options;
  return options;
}

/**
 * Transpiles one file. Syntax errors (the only errors a per-file transpile can see) become
 * PgshiftError('ENTITY') naming the file, line and column. `codeCacheDir` keeps TypeScript's compiled
 * code between runs (./typescript-module.ts).
 */
export function transpileTypeScript(source: string, fileName: string, displayName = fileName, codeCacheDir?: string): string {
  const ts = loadTypeScript(codeCacheDir);
  const result = ts.transpileModule(source, { compilerOptions: compilerOptions(ts), fileName, reportDiagnostics: true });
  const syntaxError = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxError) {
    const message = ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ');
    let where = displayName;
    if (syntaxError.file && syntaxError.start !== undefined) {
      const { line, character } = syntaxError.file.getLineAndCharacterOfPosition(syntaxError.start);
      where = `${displayName}:${line + 1}:${character + 1}`;
    }
    throw new PgshiftError('ENTITY', `${where}: TypeScript syntax error: ${message}`, {
      hint: 'fix the syntax error in this file; pgshift compiles each entity file on its own',
    });
  }
  checkDecoratorOptions(ts, source, fileName, displayName);
  // Now that a transpile and a check ran, their compiled functions are in what V8 would cache.
  storeTypeScriptCodeCache();
  return result.outputText;
}
