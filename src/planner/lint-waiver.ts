/**
 * The reasons the planner gives when it waives a squawk finding on purpose (the waiver itself lives with
 * the statement, in sql/statement.ts).
 */


/** Why a down may take forms squawk flags: it puts back exactly what its up changed. */
export const RESTORES_BEFORE_UP = 'the down puts the schema back as it was before the up, in one transaction: a rollback path, run on purpose, not an online change';

/** Why a contract may drop or rename what its expand replaced. */
export const CONTRACT_STEP = 'a contract step (gen diff --contract), run once no deployed code uses the old shape; catalog-only, ACCESS EXCLUSIVE for an instant';
