/**
 * An allowed column drop (`--allow-destructive`) on an existing table, done like a rename (issue #15):
 * an expand that starts watching the column, and a pending contract — the drop itself — that
 * `gen diff --contract` writes and the contract gate holds while the database shows the column in use.
 *
 * The expand's row trigger notes a write that *sets* the column: an insert with a non-NULL value, an
 * update that changes it. Code that no longer knows the column leaves it out, so to tell the two apart
 * the column's default moves into the trigger: an omitted column arrives as NULL and the trigger fills
 * it without noting it — with the default, or for a NOT NULL column without one a placeholder of its
 * type (destructive-guard's placeholderValue), so code that leaves it out can insert until the contract
 * drops it. The expand's down gives the default back.
 */
import type { Column, QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { ident, qualified } from '../sql/quote';
import { noteOldWrite, startWatching, stopWatching, type WatchedShape } from './contract-usage';
import { describeChange } from './describe';
import { displayName } from '../model/schema';
import { STAGE, type Fragment } from './fragment';
import { generatedName } from './generated-name';
import { CONTRACT_STEP } from './lint-waiver';
import { covering, type PendingContract } from './contracts';
import { tableKey } from './rule';
import type { Statement } from '../sql/statement';
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

function watchTrigger(table: QualifiedName, column: Column, fill: string | null): RowTrigger {
  const c = `NEW.${ident(column.name)}`;
  const note = noteOldWrite(shapeOf(table, column.name));
  const fillDefault = fill === null ? [] : [`  IF ${c} IS NULL THEN ${c} := ${fill}; END IF;`];
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

/**
 * What an omitted column gets from the trigger: its default, else (NOT NULL) `placeholder`; null when
 * nothing needs filling (nullable, no default). Undefined: a NOT NULL column with neither, not watchable.
 */
export function fillValue(column: Column, placeholder: string | null): string | null | undefined {
  if (column.default !== null) return column.default;
  if (column.nullable) return null;
  return placeholder ?? undefined;
}

function moveDefault(table: QualifiedName, column: Column): { up: Statement[]; down: Statement[] } {
  if (column.default === null) return { up: [], down: [] };
  const alter = `ALTER TABLE ${qualified(table)} ALTER COLUMN ${ident(column.name)}`;
  return {
    up: [statement(`${alter} DROP DEFAULT`, 'ACCESS EXCLUSIVE', table)],
    down: [statement(`${alter} SET DEFAULT ${column.default}`, 'ACCESS EXCLUSIVE', table)],
  };
}

/**
 * The expand fragment and the pending contract of one allowed column drop. `drop` is the contract
 * fragment destructive-guard would have emitted (the DROP COLUMN and its down re-adding the column);
 * `restore` re-adds the column as the expand left it (for the contract's down).
 */
export function watchedDrop(
  table: QualifiedName, column: Column, fill: string | null, drop: Fragment, restore: (column: Column) => { statements: Statement[]; note: string },
): { expand: Fragment; contract: PendingContract } {
  const shape = shapeOf(table, column.name);
  const trigger = watchTrigger(table, column, fill);
  const relax = moveDefault(table, column);
  const where = `${displayName(table)}.${column.name}`;
  const expand: Fragment = {
    stage: STAGE.schema, phase: 'expand', content: 'schema', transactional: true, mergeable: false,
    slug: `watch_${table.name}_${column.name}`,
    summary: `watch ${where} before dropping it: note writes that still set it`,
    why: `--allow-destructive was given; the drop waits for the contract (gen diff --contract), which the gate holds while code still sets or reads ${column.name}. ` +
      'Dropping a default and CREATE TRIGGER are catalog-only (ACCESS EXCLUSIVE / SHARE ROW EXCLUSIVE for an instant)',
    up: [...relax.up, ...startWatching(shape), ...createTriggerStatements(trigger)],
    down: [...dropTriggerStatements(trigger), stopWatching(shape), ...relax.down],
  };
  // The contract's down comes back to the state after the expand: the column without its default.
  const restored = restore({ ...column, default: null });
  const contract: PendingContract = {
    id: shape.contract,
    summary: `finish dropping ${where}: drop its watch trigger and the column`,
    covers: [covering('DropColumn', table, column.name)],
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
