/**
 * A statement that changes nothing, for the down of a step that has nothing to undo but must still hold
 * exactly one statement (non-transactional files do). It says why, so the reviewer is not left guessing.
 */
import { statement } from '../sql/statement';
import { literal } from '../sql/quote';
import type { Statement } from '../sql/statement';

export function noOpStatement(reason: string): Statement {
  return statement(`SELECT ${literal(reason)} AS pgshift_nothing_to_undo`, null, null);
}
