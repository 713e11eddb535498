/**
 * Hostile text for the end-to-end fuzz property (issue 9): identifiers (tables, columns, indexes, checks,
 * the enum), string and array defaults, column comments, enum labels, and the string constants inside
 * check and index-where expressions, all made of quotes, backslashes, dollars, comment markers, line
 * breaks, semicolons and unicode. A spec becomes TypeORM EntitySchemas, which the production loader's
 * mapping turns into the model: the same path `@Entity` classes take after they are loaded.
 */
import fc from 'fast-check';
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import { dollarQuoted, ident, literal } from '../../src/sql/quote';

/** The pieces hostile strings are made of. No NUL: PostgreSQL text and names cannot hold it. */
const PIECES = [
  "'", "''", '"', '\\', '\\\\', '$', '$$', '$q$', '$q', '--', '/*', '*/', '\n', '\r', '\r\n', '\t', ';', ' ', ',', '{', '}', '(', ')',
  'NULL', 'DROP TABLE victims', 'a', 'Z', 'é', 'ß', '✓', '😀', '%', '?', '&', '=', '@', '.', 'E\'', '\u0001', '\u001f',
];

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Any hostile string, possibly empty. */
export const hostileText = fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 10 });

/** A hostile identifier: non-empty and within PostgreSQL's 63 bytes, so it is never truncated. */
export const hostileName = fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 8 })
  .filter((name) => bytes(name) <= 63 && name !== 'id');

/** How an expression spells its string constant: '…', E'…' or $q$…$q$. */
export type LiteralForm = 'standard' | 'escape' | 'dollar';

export function constant(text: string, form: LiteralForm): string {
  switch (form) {
    case 'standard': return literal(text);
    case 'escape': return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'dollar': return dollarQuoted(text);
  }
}

export interface HostileExpression {
  /** The constraint or index name. */
  readonly name: string;
  readonly text: string;
  readonly form: LiteralForm;
}

export interface HostileColumn {
  readonly name: string;
  readonly default: string;
  readonly comment: string;
}

export interface HostileTable {
  readonly name: string;
  readonly text: HostileColumn;
  readonly tags: { readonly name: string; readonly default: readonly string[] };
  readonly mood: { readonly name: string; readonly label: number };
  readonly check: HostileExpression;
  readonly index: HostileExpression;
  /** What the second spec adds to the table. */
  readonly added: { readonly column: HostileColumn; readonly check: HostileExpression; readonly index: HostileExpression };
}

export interface HostileSpec {
  readonly enumName: string;
  readonly labels: readonly string[];
  /** The label the second spec appends. */
  readonly newLabel: string;
  readonly tables: readonly HostileTable[];
}

const form = fc.constantFrom<LiteralForm>('standard', 'escape', 'dollar');
const unique = (n: number) => fc.uniqueArray(hostileName, { minLength: n, maxLength: n });

function tableArbitrary(name: string, index: string, addedIndex: string): fc.Arbitrary<HostileTable> {
  return fc.record({
    columns: unique(4),
    checks: unique(2),
    texts: fc.tuple(hostileText, hostileText, hostileText, hostileText, hostileText, hostileText),
    forms: fc.tuple(form, form),
    tags: fc.array(hostileText, { maxLength: 3 }),
    label: fc.nat(),
  }).map(({ columns, checks, texts, forms, tags, label }) => ({
    name,
    text: { name: columns[0]!, default: texts[0], comment: texts[1] },
    tags: { name: columns[1]!, default: tags },
    mood: { name: columns[2]!, label },
    check: { name: checks[0]!, text: texts[2], form: forms[0] },
    index: { name: index, text: texts[3], form: forms[1] },
    added: {
      column: { name: columns[3]!, default: texts[4], comment: texts[5] },
      check: { name: checks[1]!, text: texts[5], form: forms[1] },
      index: { name: addedIndex, text: texts[4], form: forms[0] },
    },
  }));
}

/** One or two tables; every relation and type name (tables, indexes, the enum) distinct. */
export const hostileSpec: fc.Arbitrary<HostileSpec> = fc.integer({ min: 1, max: 2 }).chain((tableCount) =>
  fc.record({
    names: unique(1 + 3 * tableCount),
    labels: fc.uniqueArray(hostileName, { minLength: 2, maxLength: 4 }),
  }).chain(({ names, labels }) => {
    const [enumName, ...rest] = names;
    const tables = Array.from({ length: tableCount }, (_, i) => tableArbitrary(rest[3 * i]!, rest[3 * i + 1]!, rest[3 * i + 2]!));
    return fc.tuple(...tables).map((built) => ({
      enumName: enumName!,
      labels: labels.slice(1),
      newLabel: labels[0]!,
      tables: built,
    }));
  }));

/** The labels of the enum in a spec: the second spec has `newLabel` appended. */
export function labelsOf(spec: HostileSpec, second: boolean): string[] {
  return second ? [...spec.labels, spec.newLabel] : [...spec.labels];
}

export function checkExpression(column: string, expression: HostileExpression): string {
  const c = ident(column);
  const value = constant(expression.text, expression.form);
  // True for every row; the constant is what matters.
  return `${c} IS NULL OR ${c} <> ${value} OR ${c} = ${value}`;
}

export function whereExpression(column: string, expression: HostileExpression): string {
  return `${ident(column)} <> ${constant(expression.text, expression.form)}`;
}

function entitySchema(spec: HostileSpec, table: HostileTable, second: boolean): EntitySchema {
  const labels = labelsOf(spec, false);
  const columns: Record<string, EntitySchemaColumnOptions> = {
    id: { type: 'int', primary: true, name: 'id' },
    pText: { type: 'text', name: table.text.name, default: table.text.default, comment: table.text.comment },
    pTags: { type: 'text', array: true, name: table.tags.name, default: [...table.tags.default] },
    pMood: { type: 'enum', enum: labelsOf(spec, second), enumName: spec.enumName, name: table.mood.name, default: labels[table.mood.label % labels.length] },
  };
  const checks = [{ name: table.check.name, expression: checkExpression(table.text.name, table.check) }];
  const indices = [{ name: table.index.name, columns: ['pText'], where: whereExpression(table.text.name, table.index) }];
  if (second) {
    const added = table.added;
    columns.pAdded = { type: 'text', name: added.column.name, default: added.column.default, comment: added.column.comment };
    checks.push({ name: added.check.name, expression: checkExpression(added.column.name, added.check) });
    indices.push({ name: added.index.name, columns: ['pAdded'], where: whereExpression(added.column.name, added.index) });
  }
  return new EntitySchema({ name: `T${spec.tables.indexOf(table)}`, tableName: table.name, columns, checks, indices });
}

/** The spec as entities: without (first) or with (second) what each table adds. */
export function entitySchemas(spec: HostileSpec, second: boolean): EntitySchema[] {
  return spec.tables.map((table) => entitySchema(spec, table, second));
}

/** The values a row inserted with only its id must hold (the declared defaults), by column name. */
export function expectedDefaults(spec: HostileSpec, table: HostileTable, second: boolean): Record<string, unknown> {
  const labels = labelsOf(spec, false);
  const row: Record<string, unknown> = {
    [table.text.name]: table.text.default,
    [table.tags.name]: [...table.tags.default],
    [table.mood.name]: labels[table.mood.label % labels.length],
  };
  if (second) row[table.added.column.name] = table.added.column.default;
  return row;
}
