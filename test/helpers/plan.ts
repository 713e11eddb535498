/**
 * The one way tests turn two models into a plan: production's own composition of diff and plan
 * (`planFromState`, what `gen diff`, `plan` and `check` run), never a re-assembly of diffModels and
 * planChanges that could pass options the CLI does not (e.g. `dropUnmanaged` without
 * `allowDestructive`). Decided renames go in as the `--rename` specs a user would type.
 */
import type { ColumnRename, TableRename } from '../../src/diff/diff';
import type { SchemaModel } from '../../src/model/schema';
import { NO_DECISIONS, type Decisions } from '../../src/planner/decisions';
import type { PendingContract } from '../../src/planner/contracts';
import { planFromState, type DatabaseState, type GenerateResult } from '../../src/pipeline/generate';

export interface PlanOptions {
  /** The major the plan is for (the CLI's --target-version, or the portable one). */
  readonly targetMajor: number;
  readonly decisions?: Decisions;
  /** Contract steps recorded by an earlier run: the changes they explain are not planned again. */
  readonly pendingContracts?: readonly PendingContract[];
}

const columnSpec = (r: ColumnRename) => `${r.table.schema}.${r.table.name}.${r.from}=${r.to}`;
const tableSpec = (r: TableRename) => `${r.from.schema}.${r.from.name}=${r.to.name}`;

/** `current` as introspected (or built to look so), `desired` as the entities give it (cooked). */
export function planState(current: SchemaModel, desired: SchemaModel, options: PlanOptions): GenerateResult {
  const decisions = options.decisions ?? NO_DECISIONS;
  const state: DatabaseState = {
    mode: 'shadow',
    migrations: [],
    typeormMigrations: [],
    serverVersion: options.targetMajor * 10000,
    target: { major: options.targetMajor, source: '--target-version' },
    notes: [],
    current,
    desired,
    pendingContracts: (options.pendingContracts ?? []).map((c) => ({ ...c, expandVersion: 1 })),
    rowEstimates: new Map(),
    timings: {},
  };
  const renameSpecs = [...decisions.tableRenames.map(tableSpec), ...decisions.columnRenames.map(columnSpec)];
  return planFromState(state, { ...decisions, columnRenames: [], tableRenames: [] }, renameSpecs);
}
