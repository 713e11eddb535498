/**
 * Tables that belong to the migration machinery, not to the user's schema: golang-migrate's state table
 * anything pgshift itself keeps, and TypeORM's `typeorm_metadata` (where its `synchronize` records views
 * and generated columns). Introspection never reports them, so no diff ever drops them.
 */
export const BOOKKEEPING_TABLES: { readonly exact: readonly string[]; readonly prefixes: readonly string[] } = {
  exact: ['schema_migrations', 'typeorm_metadata'],
  prefixes: ['pgshift_'],
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The exclusion list as SQL LIKE patterns (with `\` as the escape character, LIKE's default). */
export function bookkeepingLikePatterns(): string[] {
  return [
    ...BOOKKEEPING_TABLES.exact.map(escapeLike),
    ...BOOKKEEPING_TABLES.prefixes.map((prefix) => `${escapeLike(prefix)}%`),
  ];
}
