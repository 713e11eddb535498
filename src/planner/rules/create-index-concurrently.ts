/**
 * Rule `create-index-concurrently`: a new index on an existing table is built with
 * `CREATE [UNIQUE] INDEX CONCURRENTLY`, alone in a non-transactional file, instead of a plain
 * `CREATE INDEX` that blocks every write for the whole build. See create-index-concurrently.md.
 */
import { defineRule, isNewTable } from '../rule';
import type { Index, QualifiedName } from '../../model/schema';
import { createIndexSql } from '../../sql/column-sql';
import { statement } from '../../sql/statement';
import { qualified } from '../../sql/quote';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import type { PlanContext, RuleOutcome } from '../rule';
import { waive } from '../../sql/statement';
import type { Statement } from '../../sql/statement';
import { existsNow, primaryKeyNow, type Precheck } from '../precheck';
import { ident } from '../../sql/quote';

/** PG 14.0–14.3 can silently corrupt indexes built or rebuilt CONCURRENTLY (fixed in 14.4). */
export function hasConcurrentIndexBug(serverVersion: number): boolean {
  return serverVersion >= 140000 && serverVersion < 140004;
}

/** Only for a known server (live mode): a target major says nothing about its minor release. */
export function concurrentIndexWarning(serverVersion: number | undefined): string {
  return serverVersion !== undefined && hasConcurrentIndexBug(serverVersion)
    ? ' WARNING: this server runs PostgreSQL 14.0–14.3, where CONCURRENTLY builds can silently corrupt the index: upgrade to 14.4+ first (or REINDEX the index after upgrading).'
    : '';
}

function indexIdentifier(table: QualifiedName, name: string): string {
  return qualified({ schema: table.schema, name });
}

/**
 * A CONCURRENTLY statement must be alone in its file (a SET before it would make the file one transaction
 * block, which CONCURRENTLY refuses): the timeouts cannot be in the file, the runner's session sets them.
 */
export const SESSION_TIMEOUTS =
  "alone in a non-transactional file, it cannot be preceded by SET (that would make the file a transaction block): lock_timeout and statement_timeout come from the runner's session (pgshift up sets them)";

const SESSION_TIMEOUT_RULES = ['require-lock-timeout', 'require-statement-timeout'] as const;

/** `DROP INDEX CONCURRENTLY IF EXISTS`: waits for running transactions, never blocks reads or writes. */
export function dropIndexConcurrently(table: QualifiedName, name: string): Statement {
  return waive(statement(`DROP INDEX CONCURRENTLY IF EXISTS ${indexIdentifier(table, name)}`, 'SHARE UPDATE EXCLUSIVE', table), SESSION_TIMEOUT_RULES, SESSION_TIMEOUTS);
}

/**
 * No IF NOT EXISTS: a failed build leaves an INVALID index under the name, which IF NOT EXISTS would
 * accept as done; `pgshift up` drops it and builds again instead.
 */
export function createIndexConcurrently(table: QualifiedName, index: Index): Statement {
  const build = statement(createIndexSql(table, index, true), 'SHARE UPDATE EXCLUSIVE', table, 'build');
  const rerun = 'no IF NOT EXISTS on purpose: it would take the INVALID index a failed build leaves for a finished one; pgshift up drops that and builds again';
  return waive(waive(build, SESSION_TIMEOUT_RULES, SESSION_TIMEOUTS), ['prefer-robust-stmts'], rerun);
}

/**
 * A unique build meets a duplicate only at the end of its scan, and leaves an INVALID index behind: the
 * duplicates are counted first. At plan time only when every key column exists already (a column the
 * plan adds, or fills, is checked by `up` alone).
 */
export function uniqueIndexPrecheck(table: QualifiedName, index: Index, ctx: PlanContext, atPlanTime = true): Precheck {
  const columns = index.keys.flatMap((k) => (k.column !== null ? [k.column] : []));
  return {
    kind: 'unique', table, index: index.name, primaryKey: primaryKeyNow(ctx.from, table),
    keys: index.keys.map((k) => (k.column !== null ? ident(k.column) : `(${k.expression})`)),
    where: index.where,
    atPlanTime: atPlanTime && existsNow(ctx.from, table, columns) && index.keys.every((k) => k.column !== null),
  };
}

export interface ConcurrentIndexOptions {
  readonly slug: string;
  readonly summary: string;
  /** Extra words for the header's "why", e.g. what the index is for. */
  readonly purpose?: string;
  /** False when the plan changes the key columns' data before the build (a backfill). */
  readonly checkAtPlanTime?: boolean;
}

/**
 * The non-transactional fragment that builds `index` concurrently; its down drops it concurrently.
 * A failed build leaves an INVALID index with the same name, so the file says how to clear it.
 */
export function concurrentIndexFragment(table: QualifiedName, index: Index, ctx: PlanContext, options: ConcurrentIndexOptions): Fragment {
  const name = indexIdentifier(table, index.name);
  const unique = index.unique ? ' A duplicate key makes the build fail.' : '';
  return {
    stage: STAGE.concurrentIndex,
    phase: 'direct',
    content: 'schema',
    transactional: false,
    mergeable: false,
    slug: options.slug,
    summary: options.summary,
    why:
      `CONCURRENTLY builds the index under SHARE UPDATE EXCLUSIVE on ${displayName(table)}: reads and writes continue ` +
      `(the build waits for transactions already running at its start and end).${options.purpose ? ` ${options.purpose}` : ''}` +
      `${unique} A failed build leaves an INVALID index: \`pgshift up\` drops it before it retries; with the migrate CLI, ` +
      `run DROP INDEX CONCURRENTLY IF EXISTS ${name}; and force the previous version first.${concurrentIndexWarning(ctx.liveServerVersion)}`,
    up: [createIndexConcurrently(table, index)],
    down: [dropIndexConcurrently(table, index.name)],
    ...(index.unique ? { prechecks: [uniqueIndexPrecheck(table, index, ctx, options.checkAtPlanTime ?? true)] } : {}),
  };
}

export const createIndexConcurrentlyRule = defineRule({
  id: 'create-index-concurrently',
  kinds: ['CreateIndex'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    return {
      kind: 'plan',
      fragments: [concurrentIndexFragment(change.table, change.index, ctx, { slug: changeSlug(change), summary: `${describeChange(change)}, concurrently` })],
    };
  },
});
