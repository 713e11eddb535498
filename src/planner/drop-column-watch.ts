/**
 * An allowed column drop (`--allow-destructive`) on an existing table, done like a rename (issue #15):
 * an expand that starts watching the column, and a pending contract — the drop itself — that
 * `gen diff --contract` writes and the contract gate holds while the database shows the column in use.
 *
 * The expand's row trigger notes a write that *sets* the column: an insert with a non-NULL value, an
 * update that changes it. Code that no longer knows the column leaves it out, so to tell the two apart
 * the column's default moves into the trigger (an omitted column arrives as NULL, the trigger fills the
 * default without noting it), and a NOT NULL column without a default stops being NOT NULL (code that
 * leaves it out must be able to insert until the contract drops it). Both come back with the expand's down.
 */
import type { Column, QualifiedName } from '../model/schema';
import { statement } from '../sql/ddl';
import { ident, qualified } from '../sql/quote';
import { noteOldWrite, startWatching, stopWatching, type WatchedShape } from './contract-usage';
import { describeChange, displayName } from './describe';
import { STAGE, type Fragment } from './fragment';
import { generatedName } from './generated-name';
import { CONTRACT_STEP, RESTORES_BEFORE_UP, waive } from './lint-waiver';
import { tableKey, type PendingContract } from './rule';
import type { Statement } from './step';
import { createTriggerStatements, dropTriggerStatements, type RowTrigger } from './sync-trigger';

export const DROP_COLUMN_CONTRACT = 'drop-column';

export function dropColumnContractId(table: QualifiedName, column: string): string {
  return `${DROP_COLUMN_CONTRACT}:${tableKey(table)}.${column}`;
}

/**
 * Sequence-filled (identity, serial) and generated columns get their values from the table, not the
 * writer, so the watch cannot tell who still sets them: their drop stays in the plan, as before.
 */
export function canWatchDrop(column: Column): boolean {
  return column.identity === null && !column.serial && column.generated === undefined;
}

function shapeOf(table: QualifiedName, column: string): WatchedShape {
  return { contract: dropColumnContractId(table, column), schema: table.schema, table: table.name, column };
}

function watchTrigger(table: QualifiedName, column: Column): RowTrigger {
  const c = `NEW.${ident(column.name)}`;
  const note = noteOldWrite(shapeOf(table, column.name));
  const fillDefault = column.default === null ? [] : [`  IF ${c} IS NULL THEN ${c} := ${column.default}; END IF;`];
  return {
    table, name: generatedName(`pgshift_watch_${table.name}_${column.name}`), onUpdateOf: [column.name],
    body: [
      "IF TG_OP = 'INSERT' THEN",
      '  -- Code that still knows the column set it; code that left it out gets its default, unnoticed.',
      `  IF ${c} IS NOT NULL THEN ${note} END IF;`,
      ...fillDefault,
      `ELSIF ${c} IS DISTINCT FROM OLD.${ident(column.name)} THEN`,
      `  ${note}`,
      'END IF;',
    ],
  };
}

/** The column as the expand leaves it: no default (the trigger has it), NOT NULL only if a default fills it. */
function relaxed(column: Column): Column {
  return { ...column, default: null, nullable: column.nullable || column.default === null };
}

function relaxStatements(table: QualifiedName, column: Column): { up: Statement[]; down: Statement[] } {
  const alter = `ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(column.name)}`;
  const up: Statement[] = [];
  const down: Statement[] = [];
  if (column.default !== null) {
    up.push(statement(`${alter} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table));
    down.push(statement(`${alter} SET DEFAULT ${column.default}`, 'ACCESS EXCLUSIVE', table));
  }
  if (!column.nullable && column.default === null) {
    up.push(statement(`${alter} DROP NOT NULL`, 'ACCESS EXCLUSIVE', table));
    down.push(waive(statement(`${alter} SET NOT NULL`, 'ACCESS EXCLUSIVE', table, 'scan'), ['adding-not-nullable-field'], RESTORES_BEFORE_UP));
  }
  return { up, down };
}

/**
 * The expand fragment and the pending contract of one allowed column drop. `drop` is the contract
 * fragment destructive-guard would have emitted (the DROP COLUMN and its down re-adding the column);
 * `restore` re-adds the column as the expand left it (for the contract's down).
 */
export function watchedDrop(
  table: QualifiedName, column: Column, drop: Fragment, restore: (column: Column) => { statements: Statement[]; note: string },
): { expand: Fragment; contract: PendingContract } {
  const shape = shapeOf(table, column.name);
  const trigger = watchTrigger(table, column);
  const relax = relaxStatements(table, column);
  const where = `${displayName(table)}.${column.name}`;
  const expand: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: false,
    slug: `watch_${table.name}_${column.name}`,
    summary: `watch ${where} before dropping it: note writes that still set it`,
    why: `--allow-destructive was given; the drop waits for the contract (gen diff --contract), which the gate holds while code still sets or reads ${column.name}. ` +
      'Dropping a default or NOT NULL and CREATE TRIGGER are catalog-only (ACCESS EXCLUSIVE / SHARE ROW EXCLUSIVE for an instant)',
    up: [...relax.up, ...startWatching(shape), ...createTriggerStatements(trigger)],
    down: [...dropTriggerStatements(trigger), stopWatching(shape), ...relax.down],
  };
  const restored = restore(relaxed(column));
  const contract: PendingContract = {
    id: shape.contract,
    summary: `finish dropping ${where}: drop its watch trigger and the column`,
    covers: [{ kind: 'DropColumn', table: tableKey(table), column: column.name }],
    fragments: [{
      ...drop,
      stage: STAGE.schema,
      summary: describeChange({ kind: 'DropColumn', table, column }),
      why: `no deployed code sets or reads ${column.name} any more (the contract gate checked); ${CONTRACT_STEP}`,
      up: [...dropTriggerStatements(trigger), stopWatching(shape), ...drop.up],
      down: [...restored.statements, ...createTriggerStatements(trigger)],
      downNote: restored.note,
    }],
  };
  return { expand, contract };
}
