/**
 * The property sync exists for: whatever the entities turn into, a sync never removes anything. For
 * random pairs of models A → B (tables, columns of changing types and nullability, defaults, enums whose
 * labels come and go, keys, uniques, checks, indexes, foreign keys, a second schema, comments), on a real
 * database built as A and holding rows: the catalog objects after syncing to B are a superset of those
 * before, no row is lost, and — when the sync went through — a re-diff shows exactly what it skipped.
 */
import fc from 'fast-check';
import type { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { cookModel, introspect } from '../../src/catalog';
import { diffModels } from '../../src/diff/diff';
import { PgshiftError } from '../../src/errors';
import type { Column, SchemaModel, Table } from '../../src/model/schema';
import { describeChange } from '../../src/planner/describe';
import { syncModel } from '../../src/sync/sync-model';
import { createTestDatabase } from '../helpers/db';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';

const TYPES = ['integer', 'bigint', 'text', 'boolean', 'character varying(20)', 'enum'] as const;
type ColumnType = (typeof TYPES)[number];
const DEFAULTS: Partial<Record<ColumnType, string>> = { integer: '1', bigint: '1', text: `'x'`, boolean: 'true', 'character varying(20)': `'x'` };
const LABELS = ['a', 'b', 'c'];

interface ColumnSpec { type: ColumnType; nullable: boolean; withDefault: boolean; indexed: boolean; unique: boolean; checked: boolean }
interface TableSpec { present: boolean; columns: (ColumnSpec | null)[]; comment: string | null; reference: boolean }
interface ModelSpec { labels: boolean[]; enumPresent: boolean; tables: TableSpec[] }

const columnSpec = fc.record({
  type: fc.constantFrom(...TYPES),
  nullable: fc.boolean(),
  withDefault: fc.boolean(),
  indexed: fc.boolean(),
  unique: fc.boolean(),
  checked: fc.boolean(),
});
const tableSpec = fc.record({
  present: fc.boolean(),
  columns: fc.array(fc.option(columnSpec, { freq: 3 }), { minLength: 3, maxLength: 3 }),
  comment: fc.constantFrom(null, 'one', 'two'),
  reference: fc.boolean(),
});
const modelSpec = fc.record({
  labels: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  enumPresent: fc.boolean(),
  tables: fc.array(tableSpec, { minLength: 3, maxLength: 3 }),
});

const TABLE_NAMES = [{ schema: 'public', name: 'parents' }, { schema: 'public', name: 'kids' }, { schema: 'extra', name: 'notes' }];

function buildModel(spec: ModelSpec): SchemaModel {
  const labels = LABELS.filter((_, i) => spec.labels[i]);
  const hasEnum = spec.enumPresent && labels.length > 0;
  const parentsPresent = spec.tables[0]!.present;
  const tables: Table[] = [];
  spec.tables.forEach((t, ti) => {
    if (!t.present) return;
    const { schema, name } = TABLE_NAMES[ti]!;
    const columns: Column[] = [idColumn()];
    const built: Partial<Table> = { schema, comment: t.comment, indexes: [], uniques: [], checks: [], foreignKeys: [] };
    t.columns.forEach((c, ci) => {
      if (!c || (c.type === 'enum' && !hasEnum)) return;
      const column = `c${ci}`;
      const isEnum = c.type === 'enum';
      const fallback = DEFAULTS[c.type];
      columns.push(col(column, isEnum ? '' : c.type, {
        enumType: isEnum ? { schema: 'public', name: 'mood' } : null,
        nullable: c.nullable,
        default: c.withDefault && fallback !== undefined ? fallback : null,
      }));
      if (c.indexed) (built.indexes as unknown[]).push(index(`${name}_${column}_idx`, [column]));
      if (c.unique) (built.uniques as unknown[]).push({ name: `${name}_${column}_key`, columns: [column], deferrable: 'not deferrable' });
      if (c.checked && (c.type === 'integer' || c.type === 'bigint')) (built.checks as unknown[]).push({ name: `${name}_${column}_check`, expression: `(${column} > 0)` });
    });
    if (ti > 0 && t.reference && parentsPresent) {
      columns.push(col('parent_id', 'integer'));
      (built.foreignKeys as unknown[]).push({
        name: `${name}_parent_fk`, columns: ['parent_id'], referencedTable: { schema: 'public', name: 'parents' }, referencedColumns: ['id'],
        onDelete: 'NO ACTION', onUpdate: 'NO ACTION', deferrable: 'not deferrable',
      });
    }
    tables.push(withPk(table(name, columns, built)));
  });
  const schemas = tables.some((t) => t.schema === 'extra') ? ['extra', 'public'] : ['public'];
  return model(tables, { schemas, enums: hasEnum ? [{ schema: 'public', name: 'mood', values: labels }] : [] });
}

/** Every object a sync could drop, as text: schemas, extensions, relations, columns, constraints, enum labels. */
async function catalogObjects(client: Client): Promise<Set<string>> {
  const { rows } = await client.query<{ o: string }>(`
    WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%')
    SELECT 'schema ' || nspname AS o FROM ns
    UNION ALL SELECT 'extension ' || extname FROM pg_extension
    UNION ALL SELECT 'relation ' || ns.nspname || '.' || c.relname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
    UNION ALL SELECT 'column ' || ns.nspname || '.' || c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r'
    UNION ALL SELECT 'constraint ' || ns.nspname || '.' || conname FROM pg_constraint k JOIN ns ON ns.oid = k.connamespace
    UNION ALL SELECT 'label ' || t.typname || '.' || e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`);
  return new Set(rows.map((r) => r.o));
}

async function rowCounts(client: Client, m: SchemaModel): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of m.tables) counts[`${t.schema}.${t.name}`] = (await client.query(`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}"`)).rows[0].n;
  return counts;
}

async function remaining(client: Client, desiredRaw: SchemaModel): Promise<string[]> {
  const current = await introspect(client, { schemas: [...desiredRaw.schemas] });
  return diffModels(current, await cookModel(client, desiredRaw)).changes.map(describeChange).sort();
}

describe('sync never drops anything', () => {
  it('for random pairs of models, the catalog after a sync is a superset of the one before', async () => {
    await fc.assert(
      fc.asyncProperty(modelSpec, modelSpec, fc.boolean(), async (specA, specB, withRows) => {
        const a = buildModel(specA);
        const b = buildModel(specB);
        const db = await createTestDatabase('pgshift_sync_prop');
        const client = await db.connect();
        try {
          const first = await syncModel(client, a);
          expect(first.skipped, 'from an empty database everything is additive').toEqual([]);
          // Rows where every column can take a default, so that later NOT NULL additions meet data.
          if (withRows) for (const t of a.tables) await client.query(`INSERT INTO "${t.schema}"."${t.name}" DEFAULT VALUES`).catch(() => undefined);
          const objectsBefore = await catalogObjects(client);
          const rowsBefore = await rowCounts(client, a);
          let failure: unknown;
          const result = await syncModel(client, b).catch((error: unknown) => { failure = error; return null; });
          if (failure) {
            // Only existing rows may make a sync fail (a new check or key they violate), and then it is rolled back.
            expect(failure, String(failure)).toBeInstanceOf(PgshiftError);
            expect(withRows).toBe(true);
          }
          const objectsAfter = await catalogObjects(client);
          expect([...objectsBefore].filter((o) => !objectsAfter.has(o)), 'objects that disappeared').toEqual([]);
          expect(await rowCounts(client, a)).toEqual(rowsBefore);
          if (result) expect(await remaining(client, b)).toEqual(result.skipped.map((s) => describeChange(s.change)).sort());
        } finally {
          await client.end();
          await db.drop();
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
