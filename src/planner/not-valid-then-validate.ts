/**
 * The shared shape of the NOT VALID → VALIDATE rules: add a constraint NOT VALID (instant; enforced for
 * new writes from then on), then VALIDATE it in a later file of its own. VALIDATE scans the table under
 * SHARE UPDATE EXCLUSIVE only — reads and writes continue — whereas validating inside the ADD would hold
 * the ADD's lock for the whole scan. They must not share a transaction, or the ADD's lock is kept.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { ident, qualified } from '../sql/quote';
import { displayName } from '../model/schema';
import { STAGE, type Fragment } from './fragment';
import type { Precheck } from './precheck';
import type { LockMode, Statement } from '../sql/statement';

export interface NotValidConstraint {
  readonly table: QualifiedName;
  readonly name: string;
  /** The constraint body after `ADD CONSTRAINT <name>`, without NOT VALID: `CHECK (…)`, `FOREIGN KEY …`, `NOT NULL "c"`. */
  readonly body: string;
  /** Lock taken by `ADD CONSTRAINT … NOT VALID`. */
  readonly addLock: LockMode;
  /** Statements that remove the constraint (default `DROP CONSTRAINT`). */
  readonly drop?: readonly Statement[];
  readonly slug: string;
  /** What is added, e.g. `foreign key users_org_fkey on users (org_id) → orgs`. */
  readonly what: string;
  /** Extra words for the ADD's why (e.g. the lock on a referenced table). */
  readonly addWhy?: string;
  /** What makes VALIDATE fail, for its header (e.g. `a row holds NULL`). */
  readonly failsWhen: string;
  /** Stage of the ADD: `attach`, or `afterBackfill` when rows must be filled before new writes are checked. */
  readonly addStage?: number;
  /** What the data must satisfy, counted before the ADD and before the VALIDATE (both take a lock). */
  readonly prechecks?: readonly Precheck[];
}

export function addNotValidStatement(c: NotValidConstraint): Statement {
  return statement(`ALTER TABLE ${qualified(c.table)} ADD CONSTRAINT ${ident(c.name)} ${c.body} NOT VALID`, c.addLock, c.table);
}

export function validateStatement(table: QualifiedName, name: string): Statement {
  return statement(`ALTER TABLE ${qualified(table)} VALIDATE CONSTRAINT ${ident(name)}`, 'SHARE UPDATE EXCLUSIVE', table, 'scan');
}

function dropStatements(c: NotValidConstraint): readonly Statement[] {
  return c.drop ?? [statement(`ALTER TABLE ${qualified(c.table)} DROP CONSTRAINT ${ident(c.name)}`, 'ACCESS EXCLUSIVE', c.table)];
}

/** The ADD … NOT VALID fragment (mergeable with other attachments) and the VALIDATE fragment (alone). */
export function notValidThenValidate(c: NotValidConstraint): [Fragment, Fragment] {
  const add: Fragment = {
    stage: c.addStage ?? STAGE.attach,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: c.slug,
    summary: `${c.what}, NOT VALID (validated by a later file)`,
    why:
      'NOT VALID skips checking the existing rows, so the lock is held for an instant (bounded by lock_timeout); ' +
      `new and updated rows are checked from now on${c.addWhy ? `; ${c.addWhy}` : ''}`,
    up: [addNotValidStatement(c)],
    down: dropStatements(c),
    ...(c.prechecks ? { prechecks: c.prechecks } : {}),
  };
  const validate: Fragment = {
    stage: STAGE.validate,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    // Alone in its file: a failure (bad rows) then names exactly this constraint, and nothing else is retried.
    mergeable: false,
    slug: `validate_${c.slug.replace(/^add_/, '')}`,
    summary: `validate ${c.name} on ${displayName(c.table)}`,
    why:
      `VALIDATE CONSTRAINT reads every row under SHARE UPDATE EXCLUSIVE: reads and writes continue. If ${c.failsWhen}, ` +
      'it fails and changes nothing: fix those rows and run it again. On a large table give it a long enough --statement-timeout',
    up: [validateStatement(c.table, c.name)],
    // Un-validating is not a thing: put the constraint back exactly as the previous file left it.
    down: [...dropStatements(c), addNotValidStatement(c)],
    ...(c.prechecks ? { prechecks: c.prechecks } : {}),
  };
  return [add, validate];
}
