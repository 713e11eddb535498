/**
 * Schema-per-tenant files: the same folder runs in every tenant's schema, chosen per target by
 * search_path (golang-migrate's `?search_path=` URL option), so the files name no schema. The planner
 * qualifies every name; for the default schema the qualifier is dropped here, in the rendered text —
 * in statements, in DO bodies and in the headers alike. Entities must then all live in the default
 * schema: a name in another schema would be shared by every tenant.
 */
import { PgshiftError } from '../errors';
import { DEFAULT_SCHEMA, type SchemaModel } from '../model/schema';

const QUALIFIER = new RegExp(`"${DEFAULT_SCHEMA}"\\.`, 'g');

export function unqualifyDefaultSchema(sql: string): string {
  return sql.replace(QUALIFIER, '');
}

export function assertSchemaPerTenant(desired: SchemaModel): void {
  const elsewhere = [...desired.tables, ...desired.enums].filter((t) => t.schema !== DEFAULT_SCHEMA);
  if (elsewhere.length > 0) {
    const first = elsewhere[0]!;
    throw new PgshiftError('USAGE', `--schema-per-tenant: ${first.schema}.${first.name} names a schema; tenant files must name none`, {
      hint: 'remove `schema:` from the entity (every tenant gets its own copy through search_path), or drop --schema-per-tenant',
    });
  }
}
