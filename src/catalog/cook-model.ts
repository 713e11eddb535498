/**
 * cookModel: the entity side's raw SQL expressions, replaced by what the server stores and prints for
 * them — exactly what `introspect` reads back — so that `now()` vs `CURRENT_TIMESTAMP`-style differences
 * in spelling never show up as schema differences (TypeORM's own cast-stripping regexes loop on these:
 * #3076 #5132 #6579 #7955 #9829 #10038 #10831 #11990).
 *
 * One round trip whatever the model size: the temporary tables are created by one DO block and read back
 * by the introspection query itself, in a transaction that is always rolled back. Needs only the TEMP
 * privilege (plus CREATE, if the model has enum types the database lacks; without it, expressions on
 * such columns stay raw). An expression the server rejects stays raw too: the diff will then show it,
 * and applying it would fail the same way.
 *
 * Give it raw text only (the entity side). Cooking is not idempotent: the server prints `x IN ('a','b')`
 * as `(x = ANY ((ARRAY['a'::…])::text[]))`, which, parsed again, prints differently. A model read by
 * `introspect` is already in its final form and must not be cooked.
 */
import type { ClientBase } from 'pg';
import { PgshiftError } from '../errors';
import type { Column, Index, SchemaModel, Table } from '../model/schema';
import { catalogDocument } from './catalog-json';
import {
  COOK_TABLE_PREFIX,
  cookCheckName,
  cookIndexName,
  cookPlan,
  defaultKey,
  defaultToCook,
  UNCOOKED_DEFAULT_MARK,
  type CookPlan,
} from './cook-statements';
import { introspectStatements } from './introspect';
import { querySql } from './query-files';
import { runInScratchTransaction, setLocalStatement } from './scratch-transaction';

export const COOK_SETTING = 'pgshift.cook_input';

function cookedColumn(column: Column, plan: CookPlan, units: ReadonlyMap<string, Table>): Column {
  if (defaultToCook(column) === null) return column;
  const slot = plan.defaults.get(defaultKey(column));
  const temp = slot && units.get(slot[0])?.columns.find((c) => c.name === slot[1]);
  // Missing (its type is unknown here) or marked: the server refused the default; keep it raw. Otherwise a
  // null default is the cooked form of a NULL constant (`DEFAULT NULL` is not stored).
  if (!temp || temp.comment === UNCOOKED_DEFAULT_MARK) return column;
  return { ...column, default: temp.default };
}

function cookedIndex(index: Index, cooked: Index | undefined): Index {
  return cooked ? { ...index, keys: cooked.keys, where: cooked.where } : index;
}

function cookedTable(table: Table, tableIndex: number, plan: CookPlan, units: ReadonlyMap<string, Table>): Table {
  const unit = plan.tables.get(tableIndex);
  const cooked = unit === undefined ? undefined : units.get(unit);
  const checks = new Map(cooked?.checks.map((c) => [c.name, c.expression]));
  const indexes = new Map(cooked?.indexes.map((i) => [i.name, i]));
  return {
    ...table,
    columns: table.columns.map((column) => cookedColumn(column, plan, units)),
    checks: table.checks.map((check, k) => {
      const cookedExpression = checks.get(cookCheckName(tableIndex, k));
      if (cookedExpression === undefined || cookedExpression === check.expression) return check;
      return { ...check, expression: cookedExpression, given: check.given ?? check.expression };
    }),
    indexes: table.indexes.map((index, k) => cookedIndex(index, indexes.get(cookIndexName(tableIndex, k)))),
  };
}

export async function cookModel(client: ClientBase, model: SchemaModel): Promise<SchemaModel> {
  const plan = cookPlan(model);
  // Nothing to cook (no defaults, checks or expression indexes): no round trip.
  if (plan.input.tables.length === 0) return model;
  const readBack = introspectStatements(client, {
    tempOnly: true,
    schemas: null,
    excludeTables: [],
    onlyTables: `${COOK_TABLE_PREFIX.replace(/_/g, '\\_')}%`,
  });
  const statements = [
    // The DDL is parsed when the DO block EXECUTEs it, after this: quotes and backslashes in the
    // entities' expressions mean what they mean in a default-configured server.
    'SET LOCAL standard_conforming_strings = on',
    setLocalStatement(client, COOK_SETTING, JSON.stringify(plan.input)),
    querySql('cook'),
    ...readBack,
  ];
  const results = await runInScratchTransaction(client, statements);
  const cooked = catalogDocument(results[statements.length - 1]!.rows);
  // An empty temporary table can always be created, so none at all means none could be: no TEMP
  // privilege, or a read-only server (a hot standby). Returning the raw model would show every
  // expression as a difference.
  if (cooked.tables.length === 0) {
    throw new PgshiftError('DATABASE', 'cannot create temporary tables to normalize SQL expressions', {
      hint: 'pgshift needs the TEMP privilege on the database (GRANT TEMP ON DATABASE … TO …) and a writable server, not a read replica',
    });
  }
  const units = new Map(cooked.tables.map((t) => [t.name, t]));
  return {
    ...model,
    tables: model.tables.map((table, i) => cookedTable(table, i, plan, units)),
  };
}
