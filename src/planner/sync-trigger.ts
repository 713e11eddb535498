/**
 * A row trigger pgshift installs during an expand (fill or sync a column) and removes at the contract.
 * BEFORE … FOR EACH ROW so the values are in place before constraints are checked; plpgsql so the body is
 * readable in the migration file.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { dollarTag, ident, identList, qualified } from '../sql/quote';
import type { Statement } from '../sql/statement';

export interface RowTrigger {
  readonly table: QualifiedName;
  /** Used for both the function and the trigger. */
  readonly name: string;
  /** Fire on INSERT only, or also on UPDATE (optionally only of these columns). */
  readonly onUpdateOf: readonly string[] | 'never';
  /** plpgsql statements; `RETURN NEW;` is appended. */
  readonly body: readonly string[];
}

/** The body's dollar-quote tag name; dollarTag picks a variant the body does not contain. */
const BODY_TAG = 'pgshift_trigger';

function functionName(t: RowTrigger): string {
  return qualified({ schema: t.table.schema, name: t.name });
}

export function createTriggerStatements(t: RowTrigger): Statement[] {
  const events = t.onUpdateOf === 'never' ? 'INSERT' : t.onUpdateOf.length > 0 ? `INSERT OR UPDATE OF ${identList(t.onUpdateOf)}` : 'INSERT OR UPDATE';
  const body = ['BEGIN', ...t.body.map((line) => `  ${line}`), '  RETURN NEW;', 'END'].join('\n');
  const tag = dollarTag(BODY_TAG, body);
  const fn = `CREATE FUNCTION ${functionName(t)}() RETURNS trigger LANGUAGE plpgsql AS ${tag}\n${body}\n${tag}`;
  return [
    statement(fn, null, null),
    // CREATE TRIGGER takes SHARE ROW EXCLUSIVE (writes wait) for an instant.
    statement(`CREATE TRIGGER ${ident(t.name)} BEFORE ${events} ON ${qualified(t.table)} FOR EACH ROW EXECUTE FUNCTION ${functionName(t)}()`, 'SHARE ROW EXCLUSIVE', t.table),
  ];
}

export function dropTriggerStatements(t: RowTrigger): Statement[] {
  return [
    statement(`DROP TRIGGER IF EXISTS ${ident(t.name)} ON ${qualified(t.table)}`, 'ACCESS EXCLUSIVE', t.table),
    statement(`DROP FUNCTION IF EXISTS ${functionName(t)}()`, null, null),
  ];
}
