/**
 * The planner's rules, tried in order for each change; the first that answers wins. Safety rules come
 * first; `direct` is last and answers everything else.
 *
 * Order matters where two rules see the same change kind:
 *  - the rename rule (expand/contract rules) must come before replace-definition and destructive-guard,
 *    so drops it claims as part of a `--rename` are never refused;
 *  - replace-definition before destructive-guard / drop-index-concurrently: a redefined object is not a drop;
 *  - add-column-volatile-default only claims AddColumn with a volatile default; a required column without
 *    a default is the add-required-column rule's.
 */
import type { Rule } from '../rule';
import { addCheckNotValid } from './add-check-not-valid';
import { addColumnVolatileDefault } from './add-column-volatile-default';
import { addForeignKeyNotValid } from './add-foreign-key-not-valid';
import { addPrimaryKeyUsingIndex } from './add-primary-key-using-index';
import { addUniqueUsingIndex } from './add-unique-using-index';
import { changeDefault } from './change-default';
import { createIndexConcurrentlyRule } from './create-index-concurrently';
import { destructiveGuard } from './destructive-guard';
import { direct } from './direct';
import { dropIndexConcurrentlyRule } from './drop-index-concurrently';
import { replaceDefinition } from './replace-definition';
import { setNotNullViaCheck } from './set-not-null-via-check';

export const RULES: readonly Rule[] = [
  // rules-safe: indexes, constraints, NOT NULL, defaults, drops
  replaceDefinition,
  destructiveGuard,
  dropIndexConcurrentlyRule,
  createIndexConcurrentlyRule,
  addUniqueUsingIndex,
  addPrimaryKeyUsingIndex,
  addForeignKeyNotValid,
  addCheckNotValid,
  setNotNullViaCheck,
  addColumnVolatileDefault,
  changeDefault,
  direct,
];
