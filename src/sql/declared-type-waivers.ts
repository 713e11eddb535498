/**
 * squawk's type-style rules (prefer bigint, text, timestamptz, identity; no char) judge the column types
 * themselves. In a pgshift file every type is the one the entity declares (or, in a down, the one the
 * column had): a schema choice of the entity's author, not a locking or safety hazard of the migration.
 * A statement that declares such a column waives the rule, naming the column and its type.
 */
import type { Column, QualifiedName } from '../model/schema';
import { waive, type SquawkRule, type Statement } from './statement';

/** `timestamp(3) without time zone` → `timestamp without time zone`. */
function baseType(dataType: string): string {
  return dataType.replace(/\(\d+(,\s*\d+)?\)/g, '').replace(/\s+/g, ' ').trim();
}

/** The type-style rules squawk applies to a column of this type. */
export function typeStyleRules(column: Pick<Column, 'dataType' | 'enumType' | 'serial'>): SquawkRule[] {
  if (column.enumType) return [];
  const base = baseType(column.dataType);
  const rules: SquawkRule[] = [];
  if (base === 'integer') rules.push('prefer-bigint-over-int');
  if (base === 'smallint') rules.push('prefer-bigint-over-smallint');
  if (column.serial) rules.push('prefer-identity');
  if (base === 'character varying' && base !== column.dataType) rules.push('prefer-text-field');
  if (base === 'character' || base === '"char"') rules.push('ban-char-field');
  if (base === 'timestamp without time zone') rules.push('prefer-timestamp-tz');
  return rules;
}

/** The statement, waiving the type-style rules its declared columns trigger. */
export function withDeclaredTypes(statement: Statement, table: QualifiedName, columns: readonly Column[]): Statement {
  const byRule = new Map<SquawkRule, string[]>();
  for (const column of columns) {
    for (const rule of typeStyleRules(column)) {
      const type = column.serial ? `${column.dataType} (serial)` : column.dataType;
      byRule.set(rule, [...(byRule.get(rule) ?? []), `${column.name} ${type}`]);
    }
  }
  let out = statement;
  for (const [rule, cols] of byRule) {
    out = waive(out, [rule], `${table.name} (${cols.join(', ')}): the column's declared type, a schema choice of the entities, not a migration hazard`);
  }
  return out;
}
