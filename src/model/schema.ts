/**
 * The normalized schema model. Both sides of a diff — the entities (via TypeORM's metadata) and a live
 * catalog — are mapped into these shapes, so that "the same schema" means "deeply equal values".
 *
 * Conventions that make equality meaningful:
 *  - names are stored exactly as Postgres stores them (case-sensitive, already truncated to 63 bytes);
 *  - SQL expressions (defaults, CHECK bodies, index predicates and expressions) are stored in the form the
 *    server prints them ("cooked": `pg_get_expr`/`pg_get_constraintdef`), with `search_path = public`;
 *  - every list is sorted by name except columns (table order) and key/index columns (significant order).
 *
 * Pure data: no classes, no I/O.
 */

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface SchemaModel {
  /** Non-system schemas in scope, sorted. `public` is always in scope. */
  readonly schemas: readonly string[];
  /** Extensions the schema relies on (e.g. `uuid-ossp` for `uuid_generate_v4()`), sorted. */
  readonly extensions: readonly string[];
  readonly enums: readonly EnumType[];
  readonly tables: readonly Table[];
}

export interface EnumType extends QualifiedName {
  /** Labels in their sort order (`pg_enum.enumsortorder`): order is significant. */
  readonly values: readonly string[];
}

export interface Table extends QualifiedName {
  readonly columns: readonly Column[];
  readonly primaryKey: PrimaryKey | null;
  readonly uniques: readonly UniqueConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly CheckConstraint[];
  readonly indexes: readonly Index[];
  readonly comment: string | null;
}

export type IdentityKind = 'always' | 'by default';

export interface Column {
  readonly name: string;
  /**
   * The element type as `format_type()` prints a built-in type: `integer`, `character varying(255)`,
   * `numeric(18,8)`, `timestamp with time zone`, `jsonb`, … Empty when `enumType` is set.
   */
  readonly dataType: string;
  /** Set when the column's element type is an enum. */
  readonly enumType: QualifiedName | null;
  readonly isArray: boolean;
  readonly nullable: boolean;
  /**
   * Cooked default expression, or null. Enum columns store the bare quoted label (`'active'`), with the
   * type cast removed, because the cast's qualification depends on where the type lives.
   * For `serial` columns this is null (the `nextval` default is implied by `serial`).
   */
  readonly default: string | null;
  readonly identity: IdentityKind | null;
  /** `serial`/`bigserial`/`smallserial`: a `nextval` default on a sequence owned by this column. */
  readonly serial: boolean;
  readonly comment: string | null;
}

export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

export type Deferrable = 'not deferrable' | 'initially immediate' | 'initially deferred';

export interface UniqueConstraint {
  readonly name: string;
  readonly columns: readonly string[];
  readonly deferrable: Deferrable;
}

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: QualifiedName;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  readonly deferrable: Deferrable;
}

export interface CheckConstraint {
  readonly name: string;
  /** The cooked boolean expression, as in `CHECK (<expression>)` from `pg_get_constraintdef`. */
  readonly expression: string;
  /**
   * Entity side only: the expression as the entity gives it, before cooking. Diffs compare `expression`;
   * DDL writes this one (what TypeORM would write), so the migration reads like the entity.
   */
  readonly given?: string;
}

/** The text a CHECK is written with: the entity's own spelling when known, else the cooked form. */
export function checkSource(check: CheckConstraint): string {
  return check.given ?? check.expression;
}

export interface IndexKey {
  /** A column name, or null for an expression key. */
  readonly column: string | null;
  /** Cooked expression text for expression keys; null for column keys. */
  readonly expression: string | null;
  readonly descending: boolean;
  /** `NULLS FIRST` on an ascending key or `NULLS LAST` on a descending one (non-default placement). */
  readonly nullsNotDefault: boolean;
}

export interface Index {
  readonly name: string;
  readonly keys: readonly IndexKey[];
  readonly unique: boolean;
  /** Access method: btree, gist, gin, hash, brin, spgist. */
  readonly method: string;
  /** Cooked partial-index predicate, or null. */
  readonly where: string | null;
}

export const DEFAULT_SCHEMA = 'public';

export function emptyModel(): SchemaModel {
  return { schemas: [DEFAULT_SCHEMA], extensions: [], enums: [], tables: [] };
}

export function qualifiedKey(name: QualifiedName): string {
  return `${name.schema}.${name.name}`;
}

export function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.schema === b.schema && a.name === b.name;
}
