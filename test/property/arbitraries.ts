/**
 * fast-check arbitraries for schema specs (and, through buildModel, SchemaModels) within the features
 * pgshift supports. The arbitraries generate *choices* (small numbers and flags), and an interpreter
 * turns them into a spec that is valid by construction: a foreign key can only point at a table built
 * before it, names are picked from pools and deduplicated, and `sanitize` removes anything left dangling.
 * Shrinking therefore always yields valid schemas.
 */
import fc from 'fast-check';
import type { Deferrable, ReferentialAction } from '../../src/model/schema';
import { KINDS, NUMERIC_SHAPES, VARCHAR_LENGTHS, type Kind } from './column-kinds';
import { sanitize } from './sanitize';
import { pkKindType, type ColumnSpec, type EnumSpec, type IndexSpec, type PkKind, type SchemaSpec, type TableSpec } from './spec';

export const TABLE_NAMES = ['users', 'orders', 'order_items', 'accounts', 'Invoice', 'userProfile', 'line items', 'Audit Log', 'products', 'teams'];
export const COLUMN_NAMES = ['name', 'email', 'score', 'balance', 'active', 'created_at', 'birthday', 'meta', 'token', 'tags', 'status', 'note', 'Display Name', 'createdAt', 'quantity', 'price', 'title', 'isArchived', 'weight', 'code'];
export const SECOND_SCHEMAS = ['sales', 'Billing Dept'];
export const ENUM_NAMES = ['status_enum', 'Mood', 'priority level'];
export const LABELS = ['active', 'paused', 'Deleted', 'on hold', "it's", 'new', 'archived', 'draft'];
export const COMMENTS = ['the price', "it's", 'Ünïcode ✓', 'two\nlines'];
const PK_KINDS: readonly PkKind[] = ['serial', 'bigserial', 'identity by default', 'identity always', 'bigint identity'];

export const onDeleteChoice: fc.Arbitrary<ReferentialAction> = fc.constantFrom('NO ACTION', 'NO ACTION', 'CASCADE', 'SET NULL', 'RESTRICT');
export const deferrableChoice: fc.Arbitrary<Deferrable> = fc.constantFrom('not deferrable', 'not deferrable', 'initially immediate', 'initially deferred');

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

export interface ColumnChoice {
  readonly name: number;
  readonly kind: Kind;
  readonly shape: number;
  readonly enumIndex: number;
  readonly nullable: boolean;
  readonly defaultIndex: number | null;
  readonly comment: string | null;
}

export const columnChoice: fc.Arbitrary<ColumnChoice> = fc.record({
  name: fc.nat(COLUMN_NAMES.length - 1),
  kind: fc.constantFrom(...KINDS),
  shape: fc.nat(5),
  enumIndex: fc.nat(3),
  nullable: fc.boolean(),
  defaultIndex: fc.option(fc.nat(4), { nil: null }),
  comment: fc.option(fc.constantFrom(...COMMENTS), { nil: null, freq: 4 }),
});

export interface IndexChoice {
  readonly columns: readonly number[];
  readonly unique: boolean;
  readonly partial: boolean;
}

export const indexChoice: fc.Arbitrary<IndexChoice> = fc.record({
  columns: fc.array(fc.nat(7), { minLength: 1, maxLength: 2 }),
  unique: fc.boolean(),
  partial: fc.boolean(),
});

export interface TableChoice {
  readonly name: number;
  readonly inSecondSchema: boolean;
  readonly pk: PkKind;
  readonly columns: readonly ColumnChoice[];
  /** Each: the index of a table built earlier, and whether the FK column is nullable. */
  readonly foreignKeys: ReadonlyArray<{ readonly target: number; readonly nullable: boolean; readonly onDelete: ReferentialAction }>;
  readonly indexes: readonly IndexChoice[];
  readonly uniques: ReadonlyArray<{ readonly column: number; readonly deferrable: Deferrable }>;
  readonly checks: readonly number[];
  readonly comment: string | null;
}

export const tableChoice: fc.Arbitrary<TableChoice> = fc.record({
  name: fc.nat(TABLE_NAMES.length - 1),
  inSecondSchema: fc.nat(3).map((n) => n === 0),
  pk: fc.constantFrom(...PK_KINDS),
  columns: fc.array(columnChoice, { minLength: 1, maxLength: 6 }),
  foreignKeys: fc.array(fc.record({ target: fc.nat(3), nullable: fc.boolean(), onDelete: onDeleteChoice }), { maxLength: 2 }),
  indexes: fc.array(indexChoice, { maxLength: 2 }),
  uniques: fc.array(fc.record({ column: fc.nat(7), deferrable: deferrableChoice }), { maxLength: 1 }),
  checks: fc.array(fc.nat(7), { maxLength: 2 }),
  comment: fc.option(fc.constantFrom(...COMMENTS), { nil: null, freq: 4 }),
});

export interface EnumChoice {
  readonly name: number;
  readonly inSecondSchema: boolean;
  readonly labels: readonly string[];
}

export const enumChoice: fc.Arbitrary<EnumChoice> = fc.record({
  name: fc.nat(ENUM_NAMES.length - 1),
  inSecondSchema: fc.nat(3).map((n) => n === 0),
  labels: fc.uniqueArray(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 4 }),
});

export interface SchemaChoice {
  readonly secondSchema: string;
  readonly enums: readonly EnumChoice[];
  readonly tables: readonly TableChoice[];
}

export const schemaChoice: fc.Arbitrary<SchemaChoice> = fc.record({
  secondSchema: fc.constantFrom(...SECOND_SCHEMAS),
  enums: fc.array(enumChoice, { maxLength: 2 }),
  tables: fc.array(tableChoice, { minLength: 1, maxLength: 4 }),
});

export function enumFromChoice(choice: EnumChoice, secondSchema: string): EnumSpec {
  return { schema: choice.inSecondSchema ? secondSchema : 'public', name: pick(ENUM_NAMES, choice.name), values: choice.labels };
}

/** A column from a choice; `enums` are the ones it may use (an enum choice without enums becomes text). */
export function columnFromChoice(choice: ColumnChoice, enums: readonly EnumSpec[]): ColumnSpec {
  const kind: Kind = choice.kind === 'enum' && enums.length === 0 ? 'text' : choice.kind;
  const [precision, scale] = pick(NUMERIC_SHAPES, choice.shape);
  const enumType = kind === 'enum' ? pick(enums, choice.enumIndex) : null;
  return {
    name: pick(COLUMN_NAMES, choice.name),
    kind,
    length: pick(VARCHAR_LENGTHS, choice.shape),
    precision,
    scale,
    enumRef: enumType && { schema: enumType.schema, name: enumType.name },
    nullable: choice.nullable,
    defaultIndex: choice.defaultIndex,
    comment: choice.comment,
    references: null,
    onDelete: 'NO ACTION',
    renamedFrom: null,
  };
}

/** The FK column TypeORM would add for a relation to `target`: `<target>Id`, typed like target.id. */
export function foreignKeyColumn(target: TableSpec, nullable: boolean, onDelete: ReferentialAction = 'NO ACTION'): ColumnSpec {
  return {
    name: `${target.name}Id`,
    kind: pkKindType(target.pk),
    length: 0,
    precision: 0,
    scale: 0,
    enumRef: null,
    nullable,
    defaultIndex: null,
    comment: null,
    references: { schema: target.schema, name: target.name },
    onDelete,
    renamedFrom: null,
  };
}

/** `targets`: the tables a foreign key of this table may point at. */
export function tableFromChoice(choice: TableChoice, secondSchema: string, enums: readonly EnumSpec[], targets: readonly TableSpec[]): TableSpec {
  const plain = choice.columns.map((c) => columnFromChoice(c, enums));
  const fks = targets.length === 0 ? [] : choice.foreignKeys.map((fk) => foreignKeyColumn(pick(targets, fk.target), fk.nullable, fk.onDelete));
  const columns = [...plain, ...fks];
  const nameAt = (n: number) => pick(columns, n).name;
  const indexes: IndexSpec[] = choice.indexes.map((i) => ({ columns: i.columns.map(nameAt), unique: i.unique, partial: i.partial }));
  return {
    schema: choice.inSecondSchema ? secondSchema : 'public',
    name: pick(TABLE_NAMES, choice.name),
    pk: choice.pk,
    columns,
    indexes,
    uniques: choice.uniques.map((u) => ({ columns: [nameAt(u.column)], deferrable: u.deferrable })),
    checks: choice.checks.map(nameAt),
    comment: choice.comment,
  };
}

export function specFromChoice(choice: SchemaChoice): SchemaSpec {
  const enums = choice.enums.map((e) => enumFromChoice(e, choice.secondSchema));
  const tables: TableSpec[] = [];
  for (const t of choice.tables) {
    const table = tableFromChoice(t, choice.secondSchema, enums, tables);
    // Same name twice: the first wins (sanitize would drop the second and dangle its referrers).
    if (!tables.some((x) => x.schema === table.schema && x.name === table.name)) tables.push(table);
  }
  return sanitize({ schemas: ['public'], enums, tables });
}

export const schemaSpec: fc.Arbitrary<SchemaSpec> = schemaChoice.map(specFromChoice);
