/**
 * `--rename` specs resolved against the database's model:
 *   `table.old=new` or `schema.table.old=new` renames a column;
 *   `old_table=new_table` or `schema.old_table=new_table` renames a table.
 * `a.b=c` is a table rename when schema `a` has a table `b`, else a column rename of table `a`.
 */
import type { ColumnRename, TableRename } from '../diff/diff';
import { PgshiftError } from '../errors';
import { DEFAULT_SCHEMA, type SchemaModel } from '../model/schema';
import { displayName } from '../model/schema';
import { meantHint } from './closest-names';
import { shownValue } from './shown-value';

export interface ResolvedRenames {
  readonly columnRenames: ColumnRename[];
  readonly tableRenames: TableRename[];
}

export function resolveRenames(specs: readonly string[], current: SchemaModel): ResolvedRenames {
  const hasTable = (schema: string, name: string) => current.tables.some((t) => t.schema === schema && t.name === name);
  const tableNames = current.tables.map(displayName);
  const columnRenames: ColumnRename[] = [];
  const tableRenames: TableRename[] = [];
  for (const spec of specs) {
    const [left, right] = spec.split('=').map((s) => s.trim()) as [string, string];
    const parts = left.split('.');
    if (parts.length === 1 || (parts.length === 2 && hasTable(parts[0]!, parts[1]!))) {
      const [schema, name] = parts.length === 1 ? [DEFAULT_SCHEMA, parts[0]!] : [parts[0]!, parts[1]!];
      if (!hasTable(schema, name)) {
        throw new PgshiftError('USAGE', `--rename ${shownValue(spec)}: the database has no table ${displayName({ schema, name })}`, {
          hint: meantHint(left, tableNames, (t) => `--rename ${t}=${right}`, 'tables in the database'),
        });
      }
      tableRenames.push({ from: { schema, name }, to: { schema, name: right } });
      continue;
    }
    const [schema, table, column] = parts.length === 3 ? parts : [DEFAULT_SCHEMA, ...parts];
    const name = { schema: schema!, name: table! };
    const found = current.tables.find((t) => t.schema === schema && t.name === table);
    if (!found) {
      throw new PgshiftError('USAGE', `--rename ${shownValue(spec)}: the database has no table ${displayName(name)}`, {
        hint: meantHint(displayName(name), tableNames, (t) => `--rename ${t}.${column}=${right}`, 'tables in the database'),
      });
    }
    if (!found.columns.some((c) => c.name === column)) {
      throw new PgshiftError('USAGE', `--rename ${shownValue(spec)}: the database has no column ${displayName(name)}.${column}`, {
        hint: meantHint(column!, found.columns.map((c) => c.name), (c) => `--rename ${displayName(name)}.${c}=${right}`, `columns of ${displayName(name)} in the database`),
      });
    }
    columnRenames.push({ table: name, from: column!, to: right });
  }
  return { columnRenames, tableRenames };
}
