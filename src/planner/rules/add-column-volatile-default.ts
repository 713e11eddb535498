/**
 * Rule `add-column-volatile-default`: `ADD COLUMN … DEFAULT <volatile>` on an existing table rewrites
 * the whole table under ACCESS EXCLUSIVE (a volatile default is evaluated per row, so PG 11's "missing
 * value" shortcut does not apply). Instead: add the column without a default and set the default for new
 * rows (both catalog only), fill the existing rows in batches, then NOT NULL via
 * set-not-null-via-check when the column is required. See add-column-volatile-default.md.
 */
import { columnRenameSuggestion } from '../rename-suggestion';
import { defineRule, isNewTable } from '../rule';
import type { Change } from '../../diff/change';
import type { Column, QualifiedName } from '../../model/schema';
import { columnDefinition, declaredType } from '../../sql/column-sql';
import { statement } from '../../sql/statement';
import { ident, literal, qualified } from '../../sql/quote';
import { changeSlug } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import type { ChangeOf, PlanContext, RuleOutcome } from '../rule';
import { fillNullsFragment, notNullSteps } from './set-not-null-via-check';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { withDeclaredTypes } from '../../sql/declared-type-waivers';

/**
 * Functions whose volatility is `v` in pg_proc (and the uuid-ossp ones) that appear as column defaults.
 * `now()`, `CURRENT_TIMESTAMP`, `statement_timestamp()`, `transaction_timestamp()` are STABLE: PG 11+
 * stores one value for existing rows without a rewrite, so they are not listed.
 */
export const VOLATILE_DEFAULT_FUNCTIONS: readonly string[] = [
  'clock_timestamp', 'timeofday', 'random', 'random_normal', 'setseed',
  'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'gen_random_bytes', 'nextval', 'txid_current', 'pg_current_xact_id',
];

const VOLATILE_CALL = new RegExp(`(^|[^a-z0-9_$])"?(${VOLATILE_DEFAULT_FUNCTIONS.join('|')})"?\\s*\\(`, 'i');

/** True when the default expression calls a known volatile function (outside string literals). */
export function isVolatileDefault(expression: string): boolean {
  return VOLATILE_CALL.test(expression.replace(/'(?:[^']|'')*'/g, "''"));
}

function addFragment(table: QualifiedName, column: Column, change: Change): Fragment {
  const t = qualified(table);
  const col = ident(column.name);
  const up = [
    withDeclaredTypes(statement(`ALTER TABLE ${t} ADD COLUMN ${columnDefinition({ ...column, nullable: true, default: null })}`, 'ACCESS EXCLUSIVE', table), table, [column]),
    statement(`ALTER TABLE ${t} ALTER COLUMN ${col} SET DEFAULT ${column.default}`, 'ACCESS EXCLUSIVE', table),
  ];
  if (column.comment !== null) up.push(statement(`COMMENT ON COLUMN ${t}.${col} IS ${literal(column.comment)}`, null, null));
  return {
    stage: STAGE.schema,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: changeSlug(change),
    summary: `add column ${displayName(table)}.${column.name} (${declaredType(column).replace(/"/g, '')}, null) and set its default ${column.default} for new rows`,
    why:
      'a column without a default is added in the catalog only, and SET DEFAULT only applies to future INSERTs: ' +
      'the lock is held for an instant, bounded by lock_timeout (with the volatile default in ADD COLUMN the whole table would be rewritten under it). ' +
      'Setting the default now means rows inserted during the backfill already get a value',
    up,
    down: [waive(statement(`ALTER TABLE ${t} DROP COLUMN ${col}`, 'ACCESS EXCLUSIVE', table), ['ban-drop-column'], RESTORES_BEFORE_UP)],
  };
}

/** A column added with a volatile default (not serial or identity), unless it may be a rename. */
function claims(change: ChangeOf<'AddColumn'>, ctx: PlanContext): boolean {
  const { column } = change;
  if (isNewTable(ctx, change.table) || column.default === null || column.serial || column.identity) return false;
  return isVolatileDefault(column.default) && columnRenameSuggestion(change, ctx) === null;
}

export const addColumnVolatileDefault = defineRule({
  id: 'add-column-volatile-default',
  kinds: ['AddColumn'],
  claims,
  plan(change, ctx): RuleOutcome {
    const { column } = change;
    const fill = fillNullsFragment(change.table, column.name, column.default!, ctx, "nothing to undo here: the filled values go when the previous file's down drops the column");
    const fragments = [addFragment(change.table, column, change), fill];
    if (!column.nullable) fragments.push(...notNullSteps(change.table, column.name, ctx, true));
    return { kind: 'plan', fragments };
  },
});
