/**
 * Option keys TypeORM does not know, in its decorator calls: `@Column({ lenght: 50 })`, `nulable: true`.
 * TypeScript rejects them, but pgshift compiles entities file by file without type checking (fast), and
 * TypeORM ignores unknown keys silently: the column would be planned as `character varying NOT NULL`.
 *
 * The known keys come from the project's own TypeORM: the property names of the option interfaces its
 * decorator declarations (`decorator/**\/*.d.ts`) take, read syntactically (with their `extends`). The
 * check is syntactic too — an object literal passed to a decorator imported from 'typeorm' — so it costs
 * a parse of each entity file, and only when the transpile cache misses; a warm run never loads TypeScript.
 * Measured cold on a loaded 2-core machine: 100 generated entities, transpile ~5.7–9.9 s, this check
 * ~1.0–1.2 s (of which a few hundred ms read TypeORM's .d.ts once); the 4-file sample, transpile
 * ~0.45–1.0 s, check ~0.3–0.75 s. Spread and computed keys are not checked.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { PgshiftError } from '../errors';

type Ts = typeof TsNamespace;

function resolveTypeorm(fromFile: string): string {
  try {
    return createRequire(fromFile).resolve('typeorm');
  } catch {
    return createRequire(__filename).resolve('typeorm'); // pgshift's own, as the loader falls back to it
  }
}

function typeormDir(fromFile: string): string | null {
  try {
    let dir = dirname(resolveTypeorm(fromFile));
    while (!existsSync(join(dir, 'decorator'))) {
      if (dirname(dir) === dir) return null;
      dir = dirname(dir);
    }
    return dir;
  } catch {
    return null;
  }
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
}

/** Reads interfaces and type aliases of .d.ts files, following imports, into property-name sets. */
class OptionTypes {
  private readonly files = new Map<string, TsNamespace.SourceFile>();
  private readonly resolved = new Map<string, Set<string>>();
  constructor(private readonly ts: Ts) {}

  source(path: string): TsNamespace.SourceFile | null {
    if (!this.files.has(path)) {
      if (!existsSync(path)) return null;
      this.files.set(path, this.ts.createSourceFile(path, readFileSync(path, 'utf8'), this.ts.ScriptTarget.Latest, false));
    }
    return this.files.get(path)!;
  }

  /** The file a type name used in `file` is declared in: the file itself or an import. */
  private where(file: TsNamespace.SourceFile, name: string): TsNamespace.SourceFile | null {
    const { ts } = this;
    for (const statement of file.statements) {
      if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name) return file;
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name)) {
        return this.source(`${resolve(dirname(file.fileName), statement.moduleSpecifier.text)}.d.ts`);
      }
    }
    return null;
  }

  keysOf(file: TsNamespace.SourceFile, name: string): Set<string> {
    const home = this.where(file, name);
    if (!home) return new Set();
    const id = `${home.fileName}#${name}`;
    const cached = this.resolved.get(id);
    if (cached) return cached;
    const keys = new Set<string>();
    this.resolved.set(id, keys); // before recursing: a cycle ends here
    const { ts } = this;
    for (const statement of home.statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) {
        for (const member of statement.members) if (member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) keys.add(member.name.text);
        for (const clause of statement.heritageClauses ?? []) {
          for (const base of clause.types) if (ts.isIdentifier(base.expression)) for (const k of this.keysOf(home, base.expression.text)) keys.add(k);
        }
      } else if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) {
        for (const k of this.keysInType(home, statement.type)) keys.add(k);
      }
    }
    return keys;
  }

  /** Property names of every option type a parameter type names (through `&`, `|`, arrays). */
  keysInType(file: TsNamespace.SourceFile, type: TsNamespace.TypeNode): Set<string> {
    const { ts } = this;
    const keys = new Set<string>();
    const visit = (node: TsNamespace.Node): void => {
      if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) for (const k of this.keysOf(file, node.typeName.text)) keys.add(k);
      else if (ts.isTypeLiteralNode(node)) for (const m of node.members) if (m.name && ts.isIdentifier(m.name)) keys.add(m.name.text);
      else if (ts.isFunctionTypeNode(node)) return; // a callback's parameter types are not options
      ts.forEachChild(node, visit);
    };
    visit(type);
    return keys;
  }
}

/**
 * The known keys of one decorator, read lazily: only the declaration files of the decorators a project
 * uses are parsed (each is `<Name>.d.ts`; all of them cost ~10x more on a cold run).
 */
class KnownKeys {
  private readonly types: OptionTypes;
  private readonly byDecorator = new Map<string, ReadonlySet<string> | null>();
  private readonly fileOf = new Map<string, string>();
  constructor(private readonly ts: Ts, dir: string) {
    this.types = new OptionTypes(ts);
    for (const path of declarationFiles(join(dir, 'decorator'))) this.fileOf.set(basename(path, '.d.ts'), path);
  }

  of(decorator: string): ReadonlySet<string> | null {
    if (!this.byDecorator.has(decorator)) this.byDecorator.set(decorator, this.read(decorator));
    return this.byDecorator.get(decorator)!;
  }

  private read(decorator: string): ReadonlySet<string> | null {
    const path = this.fileOf.get(decorator);
    const file = path ? this.types.source(path) : null;
    if (!file) return null;
    const { ts } = this;
    const keys = new Set<string>();
    for (const statement of file.statements) {
      if (!ts.isFunctionDeclaration(statement) || statement.name?.text !== decorator) continue;
      for (const parameter of statement.parameters) if (parameter.type) for (const k of this.types.keysInType(file, parameter.type)) keys.add(k);
    }
    // No options type found (a decorator without options, or one declared elsewhere): nothing to check against.
    return keys.size > 0 ? keys : null;
  }
}

const knownByInstallation = new Map<string, KnownKeys>();

function knownKeys(ts: Ts, dir: string): KnownKeys {
  let known = knownByInstallation.get(dir);
  if (!known) knownByInstallation.set(dir, (known = new KnownKeys(ts, dir)));
  return known;
}

/** Local name → TypeORM decorator name, for `import { Column as Col } from 'typeorm'`. */
function typeormImports(ts: Ts, file: TsNamespace.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'typeorm') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.set(e.name.text, (e.propertyName ?? e.name).text);
  }
  return names;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  for (const candidate of known) if (distance(key, candidate) <= 2 && (!best || distance(key, candidate) < distance(key, best))) best = candidate;
  return best ? ` (did you mean "${best}"?)` : '';
}

/** Throws PgshiftError('ENTITY') at the first unknown option key of a TypeORM decorator call in `source`. */
export function checkDecoratorOptions(ts: Ts, source: string, fileName: string, displayName: string): void {
  if (!source.includes('typeorm')) return;
  const dir = typeormDir(fileName);
  if (!dir) return;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const imported = typeormImports(ts, file);
  if (imported.size === 0) return;
  const known = knownKeys(ts, dir);
  const visit = (node: TsNamespace.Node): void => {
    if (ts.isDecorator(node) && ts.isCallExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
      const decorator = imported.get(node.expression.expression.text);
      const keys = decorator ? known.of(decorator) : null;
      if (decorator && keys) for (const argument of node.expression.arguments) checkObject(argument, decorator, keys);
    }
    ts.forEachChild(node, visit);
  };
  const checkObject = (argument: TsNamespace.Expression, decorator: string, keys: ReadonlySet<string>): void => {
    if (!ts.isObjectLiteralExpression(argument)) return;
    for (const property of argument.properties) {
      if (ts.isSpreadAssignment(property) || !property.name || ts.isComputedPropertyName(property.name) || ts.isPrivateIdentifier(property.name)) continue;
      const key = property.name.text;
      if (keys.has(key)) continue;
      const { line, character } = file.getLineAndCharacterOfPosition(property.name.getStart(file));
      throw new PgshiftError('ENTITY', `${displayName}:${line + 1}:${character + 1}: @${decorator} has no option "${key}"${suggestion(key, keys)}`, {
        hint: 'TypeORM ignores unknown options silently (TypeScript rejects them: run tsc); fix the key',
      });
    }
  };
  visit(file);
}
