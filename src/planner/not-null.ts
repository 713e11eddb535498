/**
 * NOT NULL on a column of a populated table without holding ACCESS EXCLUSIVE for a full scan.
 *
 * PG 12–17: a helper `CHECK (col IS NOT NULL) NOT VALID` (instant) → `VALIDATE CONSTRAINT` (scans under
 * SHARE UPDATE EXCLUSIVE: reads and writes continue) → `SET NOT NULL`, which uses the valid check as proof
 * instead of scanning, and the helper is dropped.
 * PG 18+: the same with a native `NOT NULL … NOT VALID` constraint, validated in place; it carries the
 * name PG itself gives a NOT NULL constraint (`<table>_<column>_not_null`) so the result equals a plain
 * `SET NOT NULL`.
 *
 * Each part is its own stage: ADD and VALIDATE must not share a transaction (the ADD's ACCESS EXCLUSIVE
 * would be held during the scan), and the check must come after any backfill of the column.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { ident, literal, qualified } from '../sql/quote';
import { displayName } from '../model/schema';
import { STAGE, type Fragment } from './fragment';
import { generatedName } from './generated-name';
import { noOpStatement } from './no-op';
import { NATIVE_NOT_NULL_SINCE } from './target-major';
import { RESTORES_BEFORE_UP } from './lint-waiver';
import { waive } from '../sql/statement';
import type { Precheck } from './precheck';

export interface NotNullTarget {
  readonly table: QualifiedName;
  readonly column: string;
  readonly targetMajor: number;
  /** The table's primary key now, for the NULL check's sample keys. */
  readonly primaryKey?: readonly string[];
  /** Whether the column's NULLs can be counted at plan time: false when it is new, or filled first by the plan. */
  readonly checkAtPlanTime?: boolean;
}

/**
 * No NULL may be left when the NOT VALID constraint is added (ACCESS EXCLUSIVE, if only for an instant)
 * and validated: counted before either, so a NULL refuses the sequence before its first lock instead of
 * failing the VALIDATE after the constraint was already added.
 */
function nullPrecheck(t: NotNullTarget): Precheck {
  return { kind: 'not-null', table: t.table, column: t.column, primaryKey: t.primaryKey ?? [], atPlanTime: t.checkAtPlanTime ?? false };
}

const checked = (t: NotNullTarget, fragment: Fragment): Fragment => ({ ...fragment, prechecks: [nullPrecheck(t)] });

/** The helper CHECK's name (PG 12–17). */
export function notNullCheckName(table: QualifiedName, column: string): string {
  return generatedName(`pgshift_nn_${table.name}_${column}`);
}

/** The name PG gives a column's NOT NULL constraint (PG 18 keeps them in pg_constraint). */
export function nativeNotNullName(table: QualifiedName, column: string): string {
  return generatedName(`${table.name}_${column}_not_null`);
}

export function notNullFragments(target: NotNullTarget): Fragment[] {
  const fragments = target.targetMajor >= NATIVE_NOT_NULL_SINCE ? nativeFragments(target) : checkFragments(target);
  // The ADD and the VALIDATE: the constraint exists from the ADD on, so only these two can meet a NULL.
  return fragments.map((f) => (f.stage === STAGE.afterBackfill || f.stage === STAGE.validate ? checked(target, f) : f));
}

const base = () => ({ phase: 'expand' as const, content: 'schema' as const, transactional: true, mergeable: true });
const where = (t: NotNullTarget) => `${displayName(t.table)}.${t.column}`;
const slug = (t: NotNullTarget, verb: string) => `${verb}_${t.table.name}_${t.column}_not_null`;

function checkFragments(t: NotNullTarget): Fragment[] {
  const alter = `ALTER TABLE ${qualified(t.table)}`;
  const check = ident(notNullCheckName(t.table, t.column));
  const isNotNull = `CHECK (${ident(t.column)} IS NOT NULL)`;
  return [
    {
      ...base(), stage: STAGE.afterBackfill, slug: slug(t, 'check'),
      summary: `add NOT VALID check that ${where(t)} is not null`,
      why: 'NOT VALID skips the scan: the ACCESS EXCLUSIVE lock is held for an instant; new writes are checked at once',
      up: [statement(`${alter} ADD CONSTRAINT ${check} ${isNotNull} NOT VALID`, 'ACCESS EXCLUSIVE', t.table)],
      down: [statement(`${alter} DROP CONSTRAINT IF EXISTS ${check}`, 'ACCESS EXCLUSIVE', t.table)],
    },
    {
      ...base(), stage: STAGE.validate, slug: slug(t, 'validate'),
      summary: `validate that ${where(t)} is not null`,
      why: 'VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE: reads and writes continue',
      up: [statement(`${alter} VALIDATE CONSTRAINT ${check}`, 'SHARE UPDATE EXCLUSIVE', t.table, 'scan')],
      down: [noOpStatement('a validation cannot be undone; the down of the check step drops the constraint')],
    },
    {
      ...base(), stage: STAGE.enforce, slug: slug(t, 'set'),
      summary: `set ${where(t)} NOT NULL using the validated check, drop the check`,
      why: 'SET NOT NULL trusts the validated check (PG 12+) instead of scanning: the lock is held for an instant',
      up: [
        // squawk reads one file at a time: it cannot see the check validated by the previous file.
        waive(statement(`${alter} ALTER COLUMN ${ident(t.column)} SET NOT NULL`, 'ACCESS EXCLUSIVE', t.table), ['adding-not-nullable-field'],
          `the check ${notNullCheckName(t.table, t.column)} validated by the previous file proves the column has no NULL: SET NOT NULL (PG 12+) skips the scan`),
        statement(`${alter} DROP CONSTRAINT ${check}`, 'ACCESS EXCLUSIVE', t.table),
      ],
      down: [
        waive(statement(`${alter} ALTER COLUMN ${ident(t.column)} DROP NOT NULL`, 'ACCESS EXCLUSIVE', t.table), ['ban-drop-not-null'], RESTORES_BEFORE_UP),
        // Back as the previous file left it: validated (the column is NOT NULL until this file, so no row fails).
        waive(statement(`${alter} ADD CONSTRAINT ${check} ${isNotNull}`, 'ACCESS EXCLUSIVE', t.table, 'scan'), ['constraint-missing-not-valid'],
          `${RESTORES_BEFORE_UP}: the check comes back validated, as the previous file left it`),
      ],
    },
  ];
}

function nativeFragments(t: NotNullTarget): Fragment[] {
  const alter = `ALTER TABLE ${qualified(t.table)}`;
  const name = ident(nativeNotNullName(t.table, t.column));
  return [
    {
      ...base(), stage: STAGE.afterBackfill, slug: slug(t, 'add'),
      summary: `add NOT VALID NOT NULL constraint on ${where(t)}`,
      why: 'PG 18 NOT NULL … NOT VALID skips the scan: the ACCESS EXCLUSIVE lock is held for an instant; new writes are checked at once',
      up: [statement(`${alter} ADD CONSTRAINT ${name} NOT NULL ${ident(t.column)} NOT VALID`, 'ACCESS EXCLUSIVE', t.table)],
      down: [statement(`${alter} DROP CONSTRAINT IF EXISTS ${name}`, 'ACCESS EXCLUSIVE', t.table)],
    },
    {
      ...base(), stage: STAGE.validate, slug: slug(t, 'validate'),
      summary: `validate NOT NULL on ${where(t)}`,
      why: 'VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE: reads and writes continue',
      up: [statement(`${alter} VALIDATE CONSTRAINT ${name}`, 'SHARE UPDATE EXCLUSIVE', t.table, 'scan')],
      down: [noOpStatement('a validation cannot be undone; the down of the previous step drops the constraint')],
    },
  ];
}

/**
 * A column renamed after its SET NOT NULL keeps, on PG 18+, the NOT NULL constraint named after its old
 * name. A plan for an older target cannot use PG 18's RENAME of it unconditionally (older servers have no
 * such constraint), so it renames it only where it exists: the end state is then the same on every major.
 */
export function renameNotNullWhereNamed(table: QualifiedName, from: string, to: string) {
  const exists = `SELECT FROM pg_constraint WHERE conrelid = ${literal(qualified(table))}::regclass AND conname = ${literal(from)}`;
  const rename = `ALTER TABLE ${qualified(table)} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)}`;
  return statement(`DO $pgshift$ BEGIN IF EXISTS (${exists}) THEN ${rename}; END IF; END $pgshift$`, 'ACCESS EXCLUSIVE', table);
}
