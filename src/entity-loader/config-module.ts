/**
 * Finding the TypeORM DataSource in a loaded config module. Accepted shapes, in this order:
 * `export default new DataSource(…)`, `export const dataSource` / `AppDataSource`, `module.exports = new
 * DataSource(…)`, and the same places holding a plain options object (`{ type: 'postgres', … }`), from
 * which pgshift builds the DataSource itself.
 */
import type { DataSource, DataSourceOptions } from 'typeorm';
import { PgshiftError } from '../errors';
import type { TypeormRuntime } from './typeorm-runtime';

const EXPORT_NAMES = ['default', 'dataSource', 'AppDataSource', 'appDataSource'] as const;

/**
 * Duck-typed like TypeORM's own InstanceChecker, so a DataSource created by the project's own copy of
 * TypeORM is recognized too.
 */
function isDataSource(value: unknown): value is DataSource {
  return typeof value === 'object' && value !== null
    && (value as Record<string, unknown>)['@instanceof'] === Symbol.for('DataSource');
}

function isOptionsObject(value: unknown): value is DataSourceOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as { type?: unknown }).type === 'string';
}

function candidates(exported: unknown): unknown[] {
  const found: unknown[] = [];
  if (typeof exported === 'object' && exported !== null) {
    for (const name of EXPORT_NAMES) {
      if (name in exported) found.push((exported as Record<string, unknown>)[name]);
    }
  }
  found.push(exported);
  return found;
}

export function dataSourceFromModule(exported: unknown, configPath: string, typeorm: TypeormRuntime): DataSource {
  const all = candidates(exported);
  const instance = all.find(isDataSource);
  if (instance) {
    assertPostgres(instance.options.type, configPath);
    return instance;
  }
  const options = all.find(isOptionsObject);
  if (!options) {
    throw new PgshiftError('CONFIG', `${configPath} does not export a TypeORM DataSource`, {
      hint: "default-export one: `export default new DataSource({ type: 'postgres', entities: [...] })` "
        + '(also accepted: `export const dataSource`, `export const AppDataSource`, or a plain options object)',
    });
  }
  // Checked before construction: a DataSource for another database would try to load its driver package.
  assertPostgres(options.type, configPath);
  try {
    return new typeorm.DataSource(options);
  } catch (error) {
    throw new PgshiftError('CONFIG', `${configPath}: TypeORM rejected the DataSource options: ${(error as Error).message}`, {
      hint: 'check the options object the config file exports',
    });
  }
}

function assertPostgres(type: string, configPath: string): void {
  if (type === 'postgres') return;
  throw new PgshiftError('CONFIG', `${configPath} configures a "${type}" DataSource; pgshift supports only PostgreSQL`, {
    hint: "set `type: 'postgres'` in the DataSource options",
  });
}
