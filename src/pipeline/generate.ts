/**
 * The core loop, without printing: entities → model; target database (live or shadow) → model; cook the
 * entity side's expressions on that server; diff; plan. The CLI decides what to print and write.
 */
import type { ClientBase } from 'pg';
import { diffModels, type Unmanaged } from '../diff/diff';
import type { Change } from '../diff/change';
import { readPendingContracts } from '../emit/contract-file';
import { partitionByContracts, type RecordedContract } from '../planner/contracts';
import { loadEntitiesCached } from './model-cache';
import { readShadowState, shadowStateKey, writeShadowState } from './state-cache';
import { readMigrationsDir, type Migration } from '../migrations-dir/files';
import type { SchemaModel } from '../model/schema';
import type { Decisions } from '../planner/decisions';
import { planChanges, type Plan } from '../planner/plan';
import { compatibilityViews } from '../planner/compatibility-view';
import { resolveRenames } from './renames';
import { majorOf } from '../planner/target-major';
import { installCommand } from '../shadow/major-binaries';
import { assertDecisionsMatch } from './unmatched-decisions';
import type { Target } from '../target/target';
import { tableNamed } from '../model/table-index';
import { declaredTarget, planTarget, type PlanTarget } from './target-version';
import { readTypeormMigrationsDir, type TypeormMigrationFile } from '../migrations-dir/typeorm-files';
import type { MigrationsFormat } from './migrations-format';

export interface GenerateInput {
  readonly configPath: string;
  readonly dir: string;
  readonly databaseUrl: string | undefined;
  /** `--target-version` as given (validated here); see target-version.ts for the other sources. */
  readonly targetVersion?: string | undefined;
  /** `--shadow-url` / PGSHIFT_SHADOW_URL: a server for the shadow instead of the embedded one. */
  readonly shadowUrl?: string | undefined;
  readonly decisions: Decisions;
  /** Raw `--rename` specs, resolved against the database's model. */
  readonly renameSpecs?: readonly string[];
  /** A missing migrations folder reads as empty (`gen diff --create-dir`); otherwise it is an error. */
  readonly createDir?: boolean;
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

interface TargetChoice {
  readonly databaseUrl: string | undefined;
  readonly shadowUrl?: string | undefined;
  readonly major: number | undefined;
  /** Set when the folder holds TypeORM classes. */
  readonly typeormFiles?: readonly TypeormMigrationFile[] | undefined;
}

/*
 * The catalog and the servers are loaded only when a run reads a database: a run answered from its caches
 * (state-cache.ts) needs neither, nor pg.
 */
const catalog = () => import('../catalog');

async function withTarget<T>(input: TargetChoice, migrations: readonly Migration[], fn: (target: Target) => Promise<T>): Promise<T> {
  // A live run loads only the live target's modules, none of the shadows' (embedded server, replay, TypeORM).
  const target = input.databaseUrl
    ? await (await import('../target/live')).openLiveTarget(input.databaseUrl, migrations, input.typeormFiles)
    : await (await import('../target/shadow')).openShadowTarget(migrations, { major: input.major, shadowUrl: input.shadowUrl, typeormFiles: input.typeormFiles });
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

export async function readState(client: ClientBase, desiredRaw: SchemaModel) {
  // Sequential on purpose: one connection, and each reader may use its own transaction.
  const { cookModel, introspect, serverVersionNum } = await catalog();
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
  /** `server_version_num` of the database diffed against (live or shadow). */
  readonly serverVersion: number;
  /** The major the plan is for — the production server's, never the shadow's. */
  readonly target: PlanTarget;
  /** Lines for the user about how the state was read (a shadow not on the target's major). */
  readonly notes: readonly string[];
  readonly current: SchemaModel;
  readonly desired: SchemaModel;
  readonly pendingContracts: readonly RecordedContract[];
  readonly rowEstimates: ReadonlyMap<string, number>;
  readonly timings: Readonly<Record<string, number>>;
  /** Which run caches this read used and how (`hit`, `miss`, …), for --verbose. */
  readonly caches?: Readonly<Record<string, string>>;
}

/** One line when the shadow replay ran on another major than the target's: its catalog may differ. */
function shadowNote(target: Pick<Target, 'mode' | 'shadow'>, declared: PlanTarget | undefined, serverVersion: number): string[] {
  const shadowMajor = majorOf(serverVersion);
  if (target.mode !== 'shadow' || !declared || declared.major === shadowMajor) return [];
  const how = target.shadow === 'url'
    ? 'point --shadow-url at a server of that major'
    : `install its binaries: ${installCommand(declared.major)}`;
  return [`Note: the shadow replay ran on PostgreSQL ${shadowMajor}, not on the target's major ${declared.major} (to replay on ${declared.major}, ${how}).`];
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
  // A bad target value fails before anything starts.
  const declared = declaredTarget({ flag: input.targetVersion, configPath: input.configPath });
  const typeorm = input.format === 'typeorm';
  const readOptions = { missingIsEmpty: input.createDir };
  const migrations = typeorm ? [] : readMigrationsDir(input.dir, readOptions);
  const typeormMigrations = typeorm ? readTypeormMigrationsDir(input.dir, readOptions) : [];
  const pendingContracts = readPendingContracts(input.dir);
  const caches: Record<string, string> = {};
  const loaded = await time('load entities', () => loadEntitiesCached(input.configPath));
  const entities = loaded.entities;
  caches['entity model'] = loaded.cache;
  // The embedded shadow's state for unchanged files and entities needs no server (state-cache.ts).
  const stateKey = input.databaseUrl || input.shadowUrl || typeorm ? undefined : shadowStateKey(migrations, entities.model, declared?.major);
  const cachedState = stateKey === undefined ? undefined : readShadowState(stateKey);
  caches['shadow state'] = stateKey === undefined ? 'unused' : cachedState ? 'hit' : 'miss';
  const common = { migrations, typeormMigrations, pendingContracts, timings, caches };
  if (cachedState) {
    const target = { mode: 'shadow', shadow: 'embedded' } as const;
    const notes = shadowNote(target, declared, cachedState.serverVersion);
    return { ...common, ...cachedState, mode: 'shadow', target: planTarget(declared, undefined), notes, rowEstimates: new Map<string, number>() };
  }
  const choice = { ...input, major: declared?.major, typeormFiles: typeorm ? typeormMigrations : undefined };
  return withTarget(choice, migrations, async (target) => {
    const read = await time('introspect', () => readState(target.client, entities.model));
    const { desired, serverVersion } = read;
    if (stateKey !== undefined && target.cleanReplay) writeShadowState(stateKey, read);
    else if (stateKey !== undefined) caches['shadow state'] = 'miss (not stored: the replay was not a clean one)';
    // A TypeORM-format folder's bookkeeping is TypeORM's migrations table: not an unmanaged table.
    const current = typeorm ? withoutTypeormMigrationsTable(read.current) : read.current;
    const plannedFor = planTarget(declared, target.mode === 'live' ? serverVersion : undefined);
    const notes = shadowNote(target, declared, serverVersion);
    // Live mode: estimates for every existing table the entities name (one query), for the headers.
    const existing = current.tables.filter((t) => tableNamed(desired.tables, t) !== undefined);
    const rowEstimates = target.mode === 'live' && existing.length > 0 ? await (await catalog()).estimateRows(target.client, existing) : new Map<string, number>();
    return { ...common, mode: target.mode, serverVersion, target: plannedFor, notes, current, desired, rowEstimates };
  });
}

/** Pure: the diff and the plan for given decisions (the CLI re-plans after asking at a terminal). */
export function planFromState(state: DatabaseState, decisionFlags: Decisions, renameSpecs: readonly string[] = []): GenerateResult {
  const timings: Record<string, number> = { ...state.timings };
  const diffStart = performance.now();
  const decisions: Decisions = { ...decisionFlags, ...resolveRenames(renameSpecs, state.current) };
  // Renames enter the diff as RenameTable / RenameColumn (never a drop and an add); the rename rules plan them.
  const diff = diffModels(state.current, state.desired, {
    columnRenames: decisions.columnRenames,
    tableRenames: decisions.tableRenames,
    dropUnmanaged: decisions.allowDestructive && decisions.dropUnmanaged,
    pending: (change) => partitionByContracts([change], state.pendingContracts).covered.length > 0,
    ownViews: compatibilityViews(state.pendingContracts.map((c) => c.id)),
  });
  const { covered, rest } = partitionByContracts(diff.changes, state.pendingContracts);
  timings.diff = Math.round(performance.now() - diffStart);
  const planStart = performance.now();
  const plan = planChanges(rest, { from: state.current, to: state.desired, decisions,
    targetMajor: state.target.major,
    liveServerVersion: state.mode === 'live' ? state.serverVersion : undefined,
    rowEstimates: state.rowEstimates,
  });
  timings.plan = Math.round(performance.now() - planStart);
  // A --rename or --backfill that matches no change is a mistake, never silently ignored.
  assertDecisionsMatch({ current: state.current, desired: state.desired, changes: diff.changes, renameSpecs, decisions, plan });
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
