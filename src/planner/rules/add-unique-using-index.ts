/**
 * Rule `add-unique-using-index`: a UNIQUE constraint on an existing table is built as a unique index
 * CONCURRENTLY (own non-transactional file), then attached with `ADD CONSTRAINT … UNIQUE USING INDEX`
 * (catalog only). See add-unique-using-index.md.
 */
import type { Index, QualifiedName } from '../../model/schema';
import { deferrableClause } from '../../sql/column-sql';
import { statement } from '../../sql/statement';
import { ident, qualified } from '../../sql/quote';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE, type Fragment } from '../fragment';
import { relationNameTaken } from '../model-lookup';
import { newIndexName } from '../names';
import type { PlanContext, RuleOutcome } from '../rule';
import { defineRule, isNewTable } from '../rule';
import { concurrentIndexFragment } from './create-index-concurrently';

/** A plain unique btree index over `columns`: what a UNIQUE or PRIMARY KEY constraint is backed by. */
export function constraintIndex(name: string, columns: readonly string[]): Index {
  return {
    name,
    unique: true,
    method: 'btree',
    where: null,
    keys: columns.map((column) => ({ column, expression: null, descending: false, nullsNotDefault: false })),
  };
}

/**
 * The name to build the index under. Postgres renames the index to the constraint's name when it is
 * attached, so building it under that very name keeps everything equal; when the name is still taken
 * (the constraint it replaces is dropped only in the attach transaction), a temporary name is used.
 */
export function buildIndexName(ctx: PlanContext, table: QualifiedName, constraintName: string): string {
  return relationNameTaken(ctx, table.schema, constraintName) ? newIndexName(constraintName) : constraintName;
}

export interface AttachOptions {
  readonly table: QualifiedName;
  readonly constraint: string;
  readonly indexName: string;
  readonly kind: 'UNIQUE' | 'PRIMARY KEY';
  /** A DEFERRABLE clause (with its leading space), which goes after USING INDEX. */
  readonly deferrable?: string;
  readonly stage: number;
  readonly slug: string;
  readonly summary: string;
  readonly why: string;
}

/** `ADD CONSTRAINT … USING INDEX`: ACCESS EXCLUSIVE for an instant, no scan (the index is built). */
export function attachFragment(o: AttachOptions): Fragment {
  const table = qualified(o.table);
  return {
    stage: o.stage,
    phase: 'direct',
    content: 'schema',
    transactional: true,
    mergeable: true,
    slug: o.slug,
    summary: o.summary,
    why: o.why,
    up: [statement(`ALTER TABLE ${table} ADD CONSTRAINT ${ident(o.constraint)} ${o.kind} USING INDEX ${ident(o.indexName)}${o.deferrable ?? ''}`, 'ACCESS EXCLUSIVE', o.table)],
    down: [statement(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(o.constraint)}`, 'ACCESS EXCLUSIVE', o.table)],
    downNote: 'dropping the constraint drops its index too, so the previous file\'s DROP INDEX CONCURRENTLY IF EXISTS has nothing left to do.',
  };
}

export const addUniqueUsingIndex = defineRule({
  id: 'add-unique-using-index',
  kinds: ['AddUnique'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    const { unique } = change;
    const indexName = buildIndexName(ctx, change.table, unique.name);
    const index = constraintIndex(indexName, unique.columns);
    return {
      kind: 'plan',
      fragments: [
        concurrentIndexFragment(change.table, index, ctx, {
          slug: `${changeSlug(change)}_index`,
          summary: `build the unique index for ${unique.name} on ${displayName(change.table)} (${unique.columns.join(', ')}), concurrently`,
          purpose: `The next file attaches it as constraint ${unique.name}.`,
        }),
        attachFragment({
          table: change.table,
          constraint: unique.name,
          indexName,
          kind: 'UNIQUE',
          deferrable: deferrableClause(unique.deferrable),
          stage: STAGE.attach,
          slug: changeSlug(change),
          summary: `${describeChange(change)}, using the index built concurrently`,
          why: 'USING INDEX attaches the already built unique index: catalog only, no scan and no build under the lock; the lock is held for an instant, bounded by lock_timeout',
        }),
      ],
    };
  },
});
