/**
 * Data checks a step needs before it runs: declarative facts the planner attaches to a step, executed
 * elsewhere (src/runner/data-checks/, by `gen diff --database-url` at plan time and by `pgshift up` right
 * before the step). The planner never writes their SQL: it states *what* must hold; the check module
 * knows how to count the rows that break it and pick a few sample keys.
 *
 * Why a fact and not just "let the statement fail": a unique build that meets a duplicate, a VALIDATE
 * that meets an orphan or a backfill that meets a value the new type rejects fails only after its scan —
 * and the steps before it have already taken their locks and left their half of the sequence behind.
 * Counted first, the refusal comes before any lock, with the rows to fix.
 *
 * The facts travel in the generated file's header as `-- pgshift precheck: <json>` lines (one per fact),
 * like `-- planned for PostgreSQL N+`, so `up` knows what to check without the planner.
 */
import type { QualifiedName, SchemaModel } from '../model/schema';

/** A column's type as the check needs it to cast a value (`columnType()` text, e.g. `numeric(10,2)`). */
export interface CheckedType {
  /** `format_type()` spelling of the element type (`character varying(20)`); empty for an enum. */
  readonly dataType: string;
  /** The SQL type to cast to, quoted as in DDL (`numeric(10,2)`, `"app"."status"`, `integer[]`). */
  readonly sql: string;
  /** Enums cast through text (there is no direct cast between an enum and another type). */
  readonly viaText: boolean;
  readonly isArray: boolean;
}

interface Base {
  readonly table: QualifiedName;
  /** Primary-key columns, for sample keys (empty: samples show the row's ctid). */
  readonly primaryKey: readonly string[];
  /**
   * Whether the check means anything at plan time, on the data as it is now. False when the plan itself
   * changes the data first (a `--backfill` fills the NULLs) or creates what is checked (a shadow column).
   */
  readonly atPlanTime: boolean;
}

export type Precheck =
  | (Base & {
      /** No two rows share a key of the unique index about to be built (rows with a NULL key never clash). */
      readonly kind: 'unique';
      readonly index: string;
      /** The index keys as SQL: quoted column names, or parenthesized expressions. */
      readonly keys: readonly string[];
      /** The partial index's predicate, or null. */
      readonly where: string | null;
    })
  | (Base & {
      /** No row holds NULL in the column about to become NOT NULL. */
      readonly kind: 'not-null';
      readonly column: string;
    })
  | (Base & {
      /** Every row's key (all columns non-NULL: MATCH SIMPLE) exists in the referenced table. */
      readonly kind: 'foreign-key';
      readonly constraint: string;
      readonly columns: readonly string[];
      readonly referencedTable: QualifiedName;
      readonly referencedColumns: readonly string[];
    })
  | (Base & {
      /** No row makes the CHECK expression false (a NULL result passes, as in PostgreSQL). */
      readonly kind: 'check';
      readonly constraint: string;
      /** The boolean expression, as written in `CHECK (…)`; unqualified names are the table's columns. */
      readonly expression: string;
    })
  | (Base & {
      /**
       * Every value of `column` converts to the new type: numeric overflow (`abs(round(v, s)) >= 10^(p-s)`)
       * and failing casts always refuse; a value the conversion would change (scale rounding, a string
       * longer than the new length, any cast that does not come back equal) refuses unless
       * `changesAccepted` (the plan was made with --allow-destructive).
       */
      readonly kind: 'narrowing';
      readonly column: string;
      readonly from: CheckedType;
      readonly to: CheckedType;
      readonly changesAccepted: boolean;
    });

export type PrecheckKind = Precheck['kind'];

/** The header prefix (src/emit/render-file.ts writes it, src/runner/data-checks/header.ts reads it). */
export const PRECHECK_PREFIX = 'pgshift precheck: ';

const show = (t: QualifiedName) => (t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);

/** One line for the header and for messages: what must hold. */
export function describePrecheck(check: Precheck): string {
  switch (check.kind) {
    case 'unique':
      return `no duplicate (${check.keys.join(', ')}) in ${show(check.table)}${check.where ? ` where ${check.where}` : ''}, before building ${check.index}`;
    case 'not-null':
      return `no NULL in ${show(check.table)}.${check.column}`;
    case 'foreign-key':
      return `every ${show(check.table)} (${check.columns.join(', ')}) exists in ${show(check.referencedTable)} (${check.referencedColumns.join(', ')}), for ${check.constraint}`;
    case 'check':
      return `every ${show(check.table)} row satisfies ${check.constraint} (${check.expression})`;
    case 'narrowing':
      return `every ${show(check.table)}.${check.column} value fits ${check.to.sql}${check.changesAccepted ? ' (rounded or shortened values were accepted with --allow-destructive)' : ' unchanged'}`;
  }
}

/** The fact as one header line's text (without the leading `-- `): JSON, which never holds a line break. */
export function formatPrecheck(check: Precheck): string {
  return `${PRECHECK_PREFIX}${JSON.stringify(check)}`;
}

/** The same prechecks once each, in order (merged fragments may carry the same fact). */
export function uniquePrechecks(checks: readonly Precheck[]): Precheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether every one of `columns` exists in `table` now: a check on a column the plan adds means nothing yet. */
export function existsNow(current: SchemaModel, table: QualifiedName, columns: readonly string[]): boolean {
  const found = current.tables.find((t) => t.schema === table.schema && t.name === table.name);
  return found !== undefined && columns.every((c) => found.columns.some((col) => col.name === c));
}

/** The primary key of `table` as it is now (for sample keys), or none. */
export function primaryKeyNow(current: SchemaModel, table: QualifiedName): readonly string[] {
  return current.tables.find((t) => t.schema === table.schema && t.name === table.name)?.primaryKey?.columns ?? [];
}
