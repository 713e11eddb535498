/**
 * The planner's rules, tried in order for each change; the first that answers wins. Safety rules come
 * first; `direct` is last and answers everything else.
 */
import type { Rule } from '../rule';
import { direct } from './direct';

export const RULES: readonly Rule[] = [direct];
