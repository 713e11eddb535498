/**
 * Rule `drop-index-concurrently`: dropping an index is refused without `--allow-destructive` (queries
 * relying on it slow down); with it, `DROP INDEX CONCURRENTLY` runs alone in a non-transactional
 * contract file at the end of the plan — a plain DROP INDEX takes ACCESS EXCLUSIVE on the table. Its
 * down re-creates the index concurrently. Indexes backing a PK/UNIQUE constraint never arrive here
 * (they go with their constraint). See drop-index-concurrently.md.
 */
import { isReplaced } from './replace-definition';
import { changeSlug, describeChange } from '../describe';
import { displayName } from '../../model/schema';
import { STAGE } from '../fragment';
import type { RuleOutcome } from '../rule';
import { defineRule } from '../rule';
import { createIndexConcurrently, dropIndexConcurrently } from './create-index-concurrently';
import { ALLOW_DESTRUCTIVE, destructiveRequest } from './destructive-guard';

export const dropIndexConcurrentlyRule = defineRule({
  id: 'drop-index-concurrently',
  kinds: ['DropIndex'],
  // A redefined index keeps its name and is replace-definition's.
  claims: (change, ctx) => !isReplaced(change, ctx),
  plan(change, ctx): RuleOutcome {
    if (!ctx.decisions.allowDestructive) return { kind: 'refused', request: destructiveRequest(change, ctx) };
    return {
      kind: 'plan',
      fragments: [{
        stage: STAGE.contract,
        phase: 'contract',
        content: 'schema',
        transactional: false,
        mergeable: false,
        slug: changeSlug(change),
        summary: `${describeChange(change)}, concurrently`,
        why:
          `${ALLOW_DESTRUCTIVE} was given; CONCURRENTLY drops the index under SHARE UPDATE EXCLUSIVE on ${displayName(change.table)}: ` +
          'reads and writes continue (it waits for transactions already using the index)',
        up: [dropIndexConcurrently(change.table, change.index.name)],
        down: [createIndexConcurrently(change.table, change.index)],
      }],
    };
  },
});
