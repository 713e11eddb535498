/**
 * pgshift as a library (`import { … } from 'pgshift'`). `runMigrations` is the one-call deploy step (like
 * golang-migrate's `m.Up()` in the seed guide's `RunMigrations(databaseURL)`); then the runner's full API,
 * the plan API behind `gen diff` / `plan`, and dev sync.
 */
import { describeEvent } from './runner/describe-event';
import type { RunnerListener } from './runner/events';
import { migrate } from './runner/runner';

export { PgshiftError } from './errors';
export type { ErrorCode } from './errors';
export { migrate, forceVersion, databaseVersion, migrationStatus } from './runner/runner';
export type { RunResult, StepResult, FullStatus } from './runner/runner';
export type { RunnerOptions } from './runner/options';
export type { RunnerEvent, RunnerListener, IndexBuildProgress } from './runner/events';
export type { Request as MigrationRequest, Direction } from './runner/plan';
export type { StatusReport, MigrationStatusEntry, MigrationState } from './runner/status';
export type { DatabaseVersion } from './db/version-table';
export { describeEvent } from './runner/describe-event';

// Plan: the entities against a database (live, or the shadow built from `dir`), diffed and planned; nothing
// is written. `planFiles` renders a plan's steps as golang-migrate pairs, `writeAllOrNothing` writes them.
export { generate, readDatabaseState, planFromState } from './pipeline/generate';
export type { GenerateInput, GenerateResult, DatabaseState } from './pipeline/generate';
export { NO_DECISIONS } from './planner/decisions';
export type { Decisions, DecisionRequest } from './planner/decisions';
export type { Plan } from './planner/plan';
export type { Step, Timeouts } from './planner/step';
export type { Statement, LockMode } from './sql/statement';
export type { Change } from './diff/change';
export type { Unmanaged } from './diff/diff';
export { planFiles } from './emit/plan-files';
export type { PlanFilesOptions, StepFiles } from './emit/plan-files';
export { writeAllOrNothing } from './emit/write-files';
export type { PlannedFile } from './emit/write-files';
export { loadEntityModel } from './entity-loader';
export type { LoadOptions, LoadedEntities } from './entity-loader';
export type { SchemaModel } from './model/schema';

// Sync: the additive part of the diff applied to a development database (`pgshift sync`).
export { runSync, syncModel } from './sync';
export type { SyncOptions, SyncResult, AppliedChange, SyncModelOptions } from './sync';

export interface RunMigrationsOptions {
  readonly databaseUrl: string;
  /** The migrations folder (golang-migrate layout). */
  readonly dir: string;
  /** Session lock_timeout, e.g. `2s` (the default). */
  readonly lockTimeout?: string;
  /** Receives one plain line per thing worth saying (`applying 000003_x.up.sql`, retries, warnings). */
  readonly log?: (line: string) => void;
  /** Receives every runner event, for callers that render their own progress. */
  readonly onEvent?: RunnerListener;
  readonly statementTimeout?: string;
  readonly lockRetries?: number;
  readonly allowEdited?: boolean;
  /** Run the files without the data checks their headers ask for. */
  readonly skipDataChecks?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Applies every pending migration under the migration lock and returns the versions applied, in order
 * (empty when there was nothing to do). Throws PgshiftError when the database is dirty, an applied file
 * was edited or is missing, or a migration fails.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<number[]> {
  const { log, onEvent, ...rest } = options;
  const result = await migrate(
    {
      ...rest,
      onEvent: (event) => {
        onEvent?.(event);
        const line = log ? describeEvent(event) : null;
        if (line) log!(line);
      },
    },
    { kind: 'up', limit: null },
  );
  return result.steps.map((s) => s.version);
}
