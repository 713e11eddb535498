/**
 * The planner's rules, tried in order for each change; the first that answers wins. Safety rules come
 * first; `direct` is last and answers everything else.
 *
 * Order matters where two rules see the same change kind:
 *  - renames first: they claim the drops a rename looks like, before replace-definition or any
 *    destructive guard sees them, and suggest --rename before add-required-column asks for a value;
 *  - replace-definition before destructive-guard / drop-index-concurrently: a redefined object is not a drop;
 *  - add-required-column (NOT NULL without default) and add-column-volatile-default (a volatile default)
 *    claim disjoint AddColumn changes.
 */
import type { Rule } from '../rule';
import { addCheckNotValid } from './add-check-not-valid';
import { addColumnVolatileDefault } from './add-column-volatile-default';
import { addForeignKeyNotValid } from './add-foreign-key-not-valid';
import { addPrimaryKeyUsingIndex } from './add-primary-key-using-index';
import { addRequiredColumn } from './add-required-column';
import { addUniqueUsingIndex } from './add-unique-using-index';
import { alterColumnType } from './alter-column-type';
import { changeDefault } from './change-default';
import { createIndexConcurrentlyRule } from './create-index-concurrently';
import { destructiveGuard } from './destructive-guard';
import { direct } from './direct';
import { createView } from './create-view';
import { dropView } from './drop-view';
import { exclusionConstraint } from './exclusion-constraint';
import { generatedColumnRewrite } from './generated-column-rewrite';
import { dropIndexConcurrentlyRule } from './drop-index-concurrently';
import { enumAddValue } from './enum-add-value';
import { renameColumn } from './rename-column';
import { renameTable } from './rename-table';
import { replaceDefinition } from './replace-definition';
import { setNotNullViaCheck } from './set-not-null-via-check';

export const RULES: readonly Rule[] = [
  // Expand → backfill → contract; renames claim their drops first.
  renameTable,
  renameColumn,
  // Drops: a redefinition keeps its object; anything else needs --allow-destructive.
  replaceDefinition,
  destructiveGuard,
  dropIndexConcurrentlyRule,
  // Entity-given SQL objects; a generated column's AddColumn before add-required-column would see it.
  generatedColumnRewrite,
  exclusionConstraint,
  dropView,
  createView,
  addRequiredColumn,
  alterColumnType,
  enumAddValue,
  // Indexes and constraints without long locks.
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
