/**
 * The planner's rules, tried in order for each change; the first that answers wins. Safety rules come
 * first; `direct` is last and answers everything else.
 */
import type { Rule } from '../rule';
import { addRequiredColumn } from './add-required-column';
import { alterColumnType } from './alter-column-type';
import { direct } from './direct';
import { enumAddValue } from './enum-add-value';
import { renameColumn } from './rename-column';
import { renameTable } from './rename-table';

export const RULES: readonly Rule[] = [
  // Expand → backfill → contract. Renames come first: they claim the drops a rename looks like, before
  // any destructive guard sees them, and suggest --rename before add-required-column asks for a value.
  renameTable,
  renameColumn,
  addRequiredColumn,
  alterColumnType,
  enumAddValue,
  direct,
];
