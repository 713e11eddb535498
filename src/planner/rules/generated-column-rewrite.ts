/**
 * Rule `generated-column-rewrite`: a STORED generated column is computed for every row when it is added
 * or its expression changes — a table rewrite under ACCESS EXCLUSIVE, with no online form in PostgreSQL
 * (no NOT VALID, no concurrent build; a plain copy column filled in batches could never become the
 * generated column without the same rewrite). So on an existing table it is refused with the reason and
 * `--allow-destructive`; with the flag it is planned as the rewrite it is, alone in its file. Dropping
 * the expression (`DROP EXPRESSION`, the column keeps its values) is catalog only. New tables: direct.
 * See generated-column-rewrite.md.
 */
import type { Change } from '../../diff/change';
import type { Column, Index, QualifiedName } from '../../model/schema';
import { addColumnStatement } from '../../sql/ddl';
import { statement } from '../../sql/statement';
import { dropExpressionStatement, readdColumnStatements, setExpressionStatement } from '../object-change-sql';
import { ident, qualified } from '../../sql/quote';
import { ALLOW_DESTRUCTIVE } from './destructive-guard';
import type { DecisionRequest } from '../decisions';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { RESTORES_BEFORE_UP } from '../lint-waiver';
import { waive } from '../../sql/statement';
import { currentTable, targetTable } from '../model-lookup';
import { defineRule, isNewTable, type PlanContext, type RuleOutcome } from '../rule';
import type { Statement } from '../../sql/statement';

/** `ALTER COLUMN … SET EXPRESSION` exists from PostgreSQL 17. */
export const SET_EXPRESSION_MAJOR = 17;

const REWRITE =
  'a STORED generated column is computed and written for every row: the table is rewritten under ACCESS EXCLUSIVE, ' +
  'so reads and writes wait for the whole rewrite (PostgreSQL has no online form: no NOT VALID, no concurrent build)';

function indexesOn(indexes: readonly Index[], column: string): Index[] {
  return indexes.filter((index) => index.keys.some((key) => key.column === column));
}

/** The statements that give `table.column` the definition `to` had before as `from`. */
function towards(table: QualifiedName, from: Column, to: Column, indexes: readonly Index[], major: number, because: string): Statement[] {
  if (!to.generated) return [dropExpressionStatement(table, to.name)];
  if (from.generated && major >= SET_EXPRESSION_MAJOR) return [setExpressionStatement(table, to)];
  return readdColumnStatements(table, to, indexesOn(indexes, to.name), because);
}

function request(change: Change, what: string): DecisionRequest {
  return {
    rule: 'generated-column-rewrite',
    reason: `${describeChange(change)}: ${REWRITE}`,
    flag: ALLOW_DESTRUCTIVE,
    wouldDo: `${what}, alone in a transactional file under lock_timeout and statement_timeout; run it in a maintenance window`,
  };
}

function rewriteFragment(change: Change, up: Statement[], down: Statement[], downNote?: string): Fragment {
  return {
    stage: STAGE.schema,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    // Alone, so that the rewrite's long lock is not held for anything else.
    mergeable: false,
    slug: changeSlug(change),
    summary: describeChange(change),
    why: `${ALLOW_DESTRUCTIVE} was given: the user accepted that ${REWRITE}; statement_timeout bounds it`,
    up,
    down,
    ...(downNote ? { downNote } : {}),
  };
}

/** A generated column added to a table that already exists (a new table gets it in its CREATE TABLE). */
export function isGeneratedOnExistingTable(change: Extract<Change, { kind: 'AddColumn' }>, ctx: PlanContext): boolean {
  return change.column.generated !== undefined && change.column.generated !== null && !isNewTable(ctx, change.table);
}

function planAddColumn(change: Extract<Change, { kind: 'AddColumn' }>, ctx: PlanContext): RuleOutcome {
  const add = `ALTER TABLE ${qualified(change.table)} ADD COLUMN ${ident(change.column.name)} … GENERATED ALWAYS AS (…) STORED`;
  if (!ctx.decisions.allowDestructive) return { kind: 'refused', request: request(change, add) };
  const because = `${ALLOW_DESTRUCTIVE} was given: the user accepted the rewrite`;
  // squawk flags a generated column as a rewriting default: that rewrite is what the flag accepted.
  const up = [waive({ ...addColumnStatement(change.table, change.column, because), rewrites: true, duration: 'rewrite' as const }, ['adding-field-with-default'], because)];
  const down = [waive(statement(`ALTER TABLE ${qualified(change.table)} DROP COLUMN ${ident(change.column.name)}`, 'ACCESS EXCLUSIVE', change.table), ['ban-drop-column'], RESTORES_BEFORE_UP)];
  return { kind: 'plan', fragments: [rewriteFragment(change, up, down, `the generated column ${displayName(change.table)}.${change.column.name} is dropped; its values are computed, nothing is lost`)] };
}

function planAlter(change: Extract<Change, { kind: 'AlterColumnGenerated' }>, ctx: PlanContext): RuleOutcome {
  const after = targetTable(ctx, change.table)?.indexes ?? [];
  const before = currentTable(ctx, change.table)?.indexes ?? [];
  const down = towards(change.table, change.to, change.from, before, ctx.targetMajor, RESTORES_BEFORE_UP);
  if (!change.to.generated) {
    // Catalog only: the column keeps the values it has and stops being computed.
    return {
      kind: 'plan',
      fragments: [{
        ...rewriteFragment(change, [dropExpressionStatement(change.table, change.to.name)], down),
        mergeable: true,
        why: 'DROP EXPRESSION is catalog only: the column keeps its values and becomes an ordinary column; the lock is held for an instant, bounded by lock_timeout',
      }],
    };
  }
  const because = `${ALLOW_DESTRUCTIVE} was given: the user accepted the rewrite`;
  const up = towards(change.table, change.from, change.to, after, ctx.targetMajor, because);
  const form = up.map((s) => s.sql.split(' ').slice(0, 6).join(' ')).join('; ');
  if (!ctx.decisions.allowDestructive) {
    const loses = change.from.generated ? '' : `; the values of ${displayName(change.table)}.${change.to.name} are replaced by the computed ones`;
    return { kind: 'refused', request: { ...request(change, form), reason: `${describeChange(change)}: ${REWRITE}${loses}` } };
  }
  const note = change.from.generated ? undefined : `the values ${displayName(change.table)}.${change.to.name} held before the up cannot return: the down keeps the computed ones`;
  return { kind: 'plan', fragments: [rewriteFragment(change, up, down, note)] };
}

export const generatedColumnRewrite = defineRule({
  id: 'generated-column-rewrite',
  kinds: ['AddColumn', 'AlterColumnGenerated'],
  claims: (change, ctx) => change.kind !== 'AddColumn' || isGeneratedOnExistingTable(change, ctx),
  plan(change, ctx): RuleOutcome {
    return change.kind === 'AddColumn' ? planAddColumn(change, ctx) : planAlter(change, ctx);
  },
});
