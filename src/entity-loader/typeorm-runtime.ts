/**
 * Which copy of TypeORM to build metadata with: the project's own (the one its entity files import),
 * so the schema is the one *its* TypeORM version would synchronize; the copy pgshift resolves only when
 * the config's folder reaches none (e.g. a config exporting a plain options object from a folder without
 * node_modules). TypeORM is pgshift's peer dependency, so in an installed project both are one copy.
 *
 * The modules are reached by absolute path inside the package, since TypeORM's `exports` map resolves
 * `typeorm/<path>` only for files that exist under that exact name.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { ConnectionMetadataBuilder } from 'typeorm/connection/ConnectionMetadataBuilder';
import type { EntityMetadataValidator } from 'typeorm/metadata-builder/EntityMetadataValidator';
import type { Table } from 'typeorm/schema-builder/table/Table';
import type { TableForeignKey } from 'typeorm/schema-builder/table/TableForeignKey';
import type { ObjectUtils } from 'typeorm/util/ObjectUtils';
import { PgshiftError } from '../errors';

export interface TypeormRuntime {
  /** The package folder this runtime was loaded from. */
  readonly root: string;
  readonly DataSource: typeof DataSource;
  readonly ConnectionMetadataBuilder: typeof ConnectionMetadataBuilder;
  readonly EntityMetadataValidator: typeof EntityMetadataValidator;
  readonly ObjectUtils: typeof ObjectUtils;
  readonly Table: typeof Table;
  readonly TableForeignKey: typeof TableForeignKey;
  readonly getMetadataArgsStorage: typeof getMetadataArgsStorage;
}

const nodeRequire = createRequire(__filename);
const byRoot = new Map<string, TypeormRuntime>();
const byDataSource = new WeakMap<object, TypeormRuntime>();

function runtimeAt(root: string): TypeormRuntime {
  const cached = byRoot.get(root);
  if (cached) return cached;
  const load = <T>(path: string, name: string): T => (nodeRequire(join(root, path)) as Record<string, T>)[name]!;
  const runtime: TypeormRuntime = {
    root,
    DataSource: load('index.js', 'DataSource'),
    ConnectionMetadataBuilder: load('connection/ConnectionMetadataBuilder.js', 'ConnectionMetadataBuilder'),
    EntityMetadataValidator: load('metadata-builder/EntityMetadataValidator.js', 'EntityMetadataValidator'),
    ObjectUtils: load('util/ObjectUtils.js', 'ObjectUtils'),
    Table: load('schema-builder/table/Table.js', 'Table'),
    TableForeignKey: load('schema-builder/table/TableForeignKey.js', 'TableForeignKey'),
    getMetadataArgsStorage: load('globals.js', 'getMetadataArgsStorage'),
  };
  byRoot.set(root, runtime);
  return runtime;
}

/**
 * The TypeORM pgshift itself resolves: its peer dependency, so in an installed project the project's own
 * copy (npm dedupes a peer to it); in this repository the devDependency.
 */
export function bundledRuntime(): TypeormRuntime {
  let entry: string;
  try {
    entry = nodeRequire.resolve('typeorm');
  } catch {
    throw new PgshiftError('CONFIG', 'TypeORM is not installed: pgshift uses the project\'s own copy (a peer dependency)', {
      hint: 'install it in your project: `npm i typeorm reflect-metadata`',
    });
  }
  return runtimeAt(dirname(entry));
}

/** The package folder of the TypeORM a file in `fromDir` would import, else of pgshift's own; not loaded. */
function rootFor(fromDir: string): string | undefined {
  for (const from of [join(fromDir, 'index.js'), __filename]) {
    try {
      return dirname(createRequire(from).resolve('typeorm'));
    } catch {
      // not reachable from there
    }
  }
  return undefined;
}

/** The TypeORM a file in `fromDir` would import, else pgshift's own. */
export function runtimeFor(fromDir: string): TypeormRuntime {
  const root = rootFor(fromDir);
  return root === undefined ? bundledRuntime() : runtimeAt(root);
}

/** `<folder>@<version>` of the TypeORM runtimeFor(fromDir) would load, read without loading it (a cache key). */
export function runtimeIdentity(fromDir: string): string {
  const root = rootFor(fromDir);
  if (root === undefined) return 'typeorm@none';
  try {
    return `${root}@${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version}`;
  } catch {
    return `${root}@?`;
  }
}

/** Remembers which TypeORM built a DataSource's metadata, for mapping it later with the same copy. */
export function rememberRuntime(dataSource: DataSource, runtime: TypeormRuntime): void {
  byDataSource.set(dataSource, runtime);
}

export function runtimeOf(dataSource: DataSource): TypeormRuntime {
  return byDataSource.get(dataSource) ?? bundledRuntime();
}
