/**
 * Rule `change-default`: SET/DROP DEFAULT is catalog only — the default applies to future INSERTs, and
 * existing rows are not touched (not even by a volatile default such as clock_timestamp()). So the
 * direct statement is the safe one; this rule only makes the header say why. See change-default.md.
 */
import { defineRule, isNewTable } from '../rule';
import type { RuleOutcome } from '../rule';
import { directFragment } from './direct';

export const changeDefault = defineRule({
  id: 'change-default',
  kinds: ['SetDefault'],
  claims: (change, ctx) => !isNewTable(ctx, change.table),
  plan(change, ctx): RuleOutcome {
    return {
      kind: 'plan',
      fragments: [{
        ...directFragment(change, ctx),
        why:
          'a default only applies to future INSERTs: existing rows keep their values (even a volatile default is not evaluated for them), ' +
          'so this is catalog only and the ACCESS EXCLUSIVE lock is held for an instant, bounded by lock_timeout',
      }],
    };
  },
});
