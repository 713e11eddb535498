/**
 * The core loop, without printing: entities → model; target database (live or shadow) → model; cook the
 * entity side's expressions on that server; diff; plan. The CLI decides what to print and write.
 */
import type { ClientBase } from 'pg';
import { cookModel, estimateRows, introspect, serverVersionNum } from '../catalog';
import { diffModels, type Unmanaged } from '../diff/diff';
import type { Change } from '../diff/change';
import { partitionByContracts, readPendingContracts, type RecordedContract } from '../emit/contract-file';
import { loadEntityModel } from '../entity-loader';
import { readMigrationsDir, type Migration } from '../migrations-dir/files';
import type { SchemaModel } from '../model/schema';
import type { Decisions } from '../planner/decisions';
import { planChanges, type Plan } from '../planner/plan';
import { resolveRenames } from './renames';
import { openLiveTarget, openShadowTarget, type Target } from '../shadow/target';
import { readTypeormMigrationsDir, type TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import type { MigrationsFormat } from './migrations-format';

export interface GenerateInput {
  readonly configPath: string;
  readonly dir: string;
  readonly databaseUrl: string | undefined;
  readonly decisions: Decisions;
  /** Raw `--rename` specs, resolved against the database's model. */
  readonly renameSpecs?: readonly string[];
  /** `typeorm`: the folder holds TypeORM classes (replayed by TypeORM; live version from its table). */
  readonly format?: MigrationsFormat;
}

export interface GenerateResult extends DatabaseState {
  readonly changes: readonly Change[];
  readonly unmanaged: readonly Unmanaged[];
  /** Changes explained by contract steps still pending (not differences). */
  readonly pendingCovered: readonly Change[];
  readonly plan: Plan;
}

async function withTarget<T>(input: { readonly databaseUrl: string | undefined }, migrations: readonly Migration[], fn: (target: Target) => Promise<T>, classes?: readonly TypeormMigrationFile[]): Promise<T> {
  const target = input.databaseUrl ? await openLiveTarget(input.databaseUrl, migrations, classes) : await openShadowTarget(migrations, classes);
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

export async function readState(client: ClientBase, desiredRaw: SchemaModel) {
  // Sequential on purpose: one connection, and each reader may use its own transaction.
  const current = await introspect(client, { schemas: [...desiredRaw.schemas] });
  const desired = await cookModel(client, desiredRaw);
  const serverVersion = await serverVersionNum(client);
  return { current, desired, serverVersion };
}

/** Everything read from the entities and the database; planning from it needs no more I/O. */
export interface DatabaseState {
  readonly mode: Target['mode'];
  readonly migrations: readonly Migration[];
  /** The folder's TypeORM classes, in TypeORM format (else empty). */
  readonly typeormMigrations: readonly TypeormMigrationFile[];
  readonly serverVersion: number;
  readonly current: SchemaModel;
  readonly desired: SchemaModel;
  readonly pendingContracts: readonly RecordedContract[];
  readonly rowEstimates: ReadonlyMap<string, number>;
  readonly timings: Readonly<Record<string, number>>;
}

export async function readDatabaseState(input: Omit<GenerateInput, 'decisions' | 'renameSpecs'>): Promise<DatabaseState> {
  const timings: Record<string, number> = {};
  const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      timings[label] = Math.round(performance.now() - start);
    }
  };
  const typeorm = input.format === 'typeorm';
  const migrations = typeorm ? [] : readMigrationsDir(input.dir);
  const typeormMigrations = typeorm ? readTypeormMigrationsDir(input.dir) : [];
  const pendingContracts = readPendingContracts(input.dir);
  const entities = await time('load entities', () => loadEntityModel(input.configPath));
  return withTarget(input, migrations, async (target) => {
    const read = await time('introspect', () => readState(target.client, entities.model));
    const { desired, serverVersion } = read;
    // A TypeORM-format folder's bookkeeping is TypeORM's migrations table: not an unmanaged table.
    const current = typeorm ? withoutTypeormMigrationsTable(read.current) : read.current;
    // Live mode: estimates for every existing table the entities name (one query), for the headers.
    const existing = current.tables.filter((t) => desired.tables.some((d) => d.schema === t.schema && d.name === t.name));
    const rowEstimates = target.mode === 'live' && existing.length > 0 ? await estimateRows(target.client, existing) : new Map<string, number>();
    return { mode: target.mode, migrations, typeormMigrations, serverVersion, current, desired, pendingContracts, rowEstimates, timings };
  }, typeorm ? typeormMigrations : undefined);
}

/** Pure: the diff and the plan for given decisions (the CLI re-plans after asking at a terminal). */
export function planFromState(state: DatabaseState, decisionFlags: Decisions, renameSpecs: readonly string[] = []): GenerateResult {
  const timings: Record<string, number> = { ...state.timings };
  const diffStart = performance.now();
  const decisions: Decisions = { ...decisionFlags, ...resolveRenames(renameSpecs, state.current) };
  // Column renames are not applied by the diff: the planner's rename rule sees the AddColumn/DropColumn
  // pair and turns it into expand/contract. Table renames are, so the table's contents still compare.
  const diff = diffModels(state.current, state.desired, {
    tableRenames: decisions.tableRenames,
    dropUnmanaged: decisions.allowDestructive && decisions.dropUnmanaged,
  });
  const { covered, rest } = partitionByContracts(diff.changes, state.pendingContracts);
  timings.diff = Math.round(performance.now() - diffStart);
  const planStart = performance.now();
  const plan = planChanges(rest, { from: state.current, to: state.desired, decisions, serverVersion: state.serverVersion, rowEstimates: state.rowEstimates });
  timings.plan = Math.round(performance.now() - planStart);
  return { ...state, changes: rest, unmanaged: diff.unmanaged, pendingCovered: covered, plan, timings };
}

export async function generate(input: GenerateInput): Promise<GenerateResult> {
  return planFromState(await readDatabaseState(input), input.decisions, input.renameSpecs ?? []);
}

function withoutTypeormMigrationsTable(model: SchemaModel): SchemaModel {
  const isTypeormTable = (t: SchemaModel['tables'][number]) =>
    t.name === 'migrations' && ['id', 'timestamp', 'name'].every((c) => t.columns.some((col) => col.name === c));
  return { ...model, tables: model.tables.filter((t) => !isTypeormTable(t)) };
}
