/**
 * The registry: every planner rule, each entered through `defineRule` (../rule.ts). The order here means
 * nothing — for each change the planner takes the one rule that claims it, or `direct` when none does, and
 * two rules claiming the same change is a bug it reports. Where rules share a kind, their claims say how
 * they split it:
 *  - AddColumn: rename-column asks "is it a rename?" (rename-suggestion.ts) and the others leave such a
 *    change to it; add-required-column (NOT NULL without default) and add-column-volatile-default (a
 *    volatile default) take disjoint columns;
 *  - Drop of an index or constraint the entity redefines under the same name: replace-definition; any
 *    other: destructive-guard / drop-index-concurrently;
 *  - CreateTable / RenameTable: rename-table asks or renames behind a view; direct does the rest.
 */
import type { RegisteredRule } from '../rule';
import type { RuleId } from '../rule-id';
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

export const RULES: readonly RegisteredRule[] = [
  addCheckNotValid,
  addColumnVolatileDefault,
  addForeignKeyNotValid,
  addPrimaryKeyUsingIndex,
  addRequiredColumn,
  addUniqueUsingIndex,
  alterColumnType,
  changeDefault,
  createIndexConcurrentlyRule,
  createView,
  destructiveGuard,
  direct,
  dropIndexConcurrentlyRule,
  dropView,
  enumAddValue,
  exclusionConstraint,
  generatedColumnRewrite,
  renameColumn,
  renameTable,
  replaceDefinition,
  setNotNullViaCheck,
];

export function ruleById(id: RuleId): RegisteredRule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}
