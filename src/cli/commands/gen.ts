/** `pgshift gen diff [name]`: write the migration pair(s) that bring the database to the entities. */
import { Command, Option } from 'commander';
import { relative, resolve } from 'node:path';
import { resolveDatabaseUrl } from '../../db/connect';
import { contractStepFile, contractStepPath } from '../../emit/contract-file';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing, type PlannedFile } from '../../emit/write-files';
import { EXIT } from '../../errors';
import { planFromState, readDatabaseState, type GenerateResult } from '../../pipeline/generate';
import { askRenames, canAsk } from '../ask-renames';
import { withRowsAtRisk } from '../rows-at-risk';
import { latestVersion } from '../../migrations-dir/files';
import { decisionsFromFlags, type DecisionFlags } from '../decision-flags';
import { debug, out, paint } from '../output';
import { needsLines, pendingLines, planJson, planMarkdown, planTable, unmanagedLines, type PlannedStep } from '../plan-output';
import { runAction } from '../run-action';
import { addDecisionOptions, addSourceOptions, resolveConfigPath, type SourceOptions } from '../shared-options';
import { emitContracts } from './gen-contract';
import { assertSchemaPerTenant } from '../../emit/unqualified';
import { readPendingContracts } from '../../emit/contract-file';
import { refuseWhileFleetBehind } from '../../fleet/contract-guard';
import { fleetTargets, isFleet, parsePositive } from './fleet-shared';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION = (require('../../../package.json') as { version: string }).version;

export interface GenOptions extends SourceOptions, DecisionFlags {
  dryRun?: boolean;
  json?: boolean;
  format?: 'text' | 'markdown' | 'json';
  contract?: boolean;
  schemaPerTenant?: boolean;
  fleet?: string;
  fleetQuery?: string;
  concurrency: number;
  perHost?: number;
}

function planned(result: GenerateResult, dir: string, name: string | undefined, timeouts: { lockTimeout: string; statementTimeout: string }, unqualified: boolean): PlannedStep[] {
  if (unqualified) assertSchemaPerTenant(result.desired);
  const files = planFiles(result.plan.steps, {
    dir, latestVersion: latestVersion(result.migrations), name, timeouts, rowEstimates: result.rowEstimates, toolVersion: TOOL_VERSION, unqualified,
  });
  return result.plan.steps.map((step, i) => ({ step, files: files[i]! }));
}

function printPlan(steps: readonly PlannedStep[], result: GenerateResult, format: 'text' | 'markdown' | 'json', withSql: boolean): void {
  if (format === 'json') return out(JSON.stringify(planJson(steps, result), null, 2));
  if (format === 'markdown') return out(planMarkdown(steps, result));
  out(planTable(steps));
  if (!withSql) return;
  for (const { files } of steps) {
    out('', paint.bold(`── ${files.base}.up.sql`), files.up.content.trimEnd());
    out('', paint.bold(`── ${files.base}.down.sql`), files.down.content.trimEnd());
  }
}

export async function genDiff(name: string | undefined, options: GenOptions, mode: 'write' | 'plan'): Promise<number> {
  const configPath = resolveConfigPath(options.config);
  const dir = resolve(options.dir);
  const { decisions, renameSpecs } = decisionsFromFlags(options);
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (options.contract && !(mode === 'plan' || options.dryRun) && isFleet(options)) {
    const { targets } = await fleetTargets(options);
    await refuseWhileFleetBehind(targets, dir, readPendingContracts(dir), { concurrency: options.concurrency, perHost: options.perHost ?? options.concurrency });
  }
  if (options.contract) return emitContracts(dir, name, decisions.timeouts, TOOL_VERSION, { dryRun: mode === 'plan' || Boolean(options.dryRun), format, unqualified: Boolean(options.schemaPerTenant) });
  const state = await readDatabaseState({ configPath, dir, databaseUrl: resolveDatabaseUrl(options.databaseUrl) });
  let result = planFromState(state, decisions, renameSpecs);
  if (format === 'text' && canAsk() && result.plan.needs.some((n) => n.renameSpec !== undefined)) {
    const accepted = await askRenames(result.plan.needs);
    if (accepted.length > 0) result = planFromState(state, decisions, [...renameSpecs, ...accepted]);
  }
  debug(`timings (ms): ${JSON.stringify(result.timings)}`);
  if (result.plan.needs.length > 0) {
    const url = resolveDatabaseUrl(options.databaseUrl);
    const needs = result.mode === 'live' && url ? await withRowsAtRisk(url, result.plan.needs) : result.plan.needs;
    process.stderr.write(`${needsLines(needs).join('\n')}\n\nNothing was written.\n`);
    return EXIT.decision;
  }
  const notes = [...unmanagedLines(result.unmanaged), ...pendingLines(result)];
  if (result.plan.steps.length === 0) {
    if (format === 'json') out(JSON.stringify(planJson([], result), null, 2));
    else out('No changes');
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
    files.push(contractStepFile(dir, expandVersion, result.plan.contracts));
  }
  writeAllOrNothing(files);
  if (format === 'json') {
    out(JSON.stringify(planJson(steps, result), null, 2));
  } else {
    out(`Wrote ${steps.length} migration pair${steps.length === 1 ? '' : 's'} to ${options.dir}:`);
    for (const { step, files: f } of steps) out(`  ${f.base}.up.sql / .down.sql  ${paint.dim(`[${step.phase}${step.transactional ? '' : ', no transaction'}] ${step.summary}`)}`);
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
    .addOption(new Option('--format <format>', 'plan output format').choices(['text', 'markdown', 'json']))
    .option('--contract', 'emit the pending contract steps recorded by earlier expands')
    .option('--schema-per-tenant', 'write unqualified names: each target runs the files in its own schema (search_path)')
    .option('--fleet <inventory>', 'with --contract: refuse while any target in this inventory is behind the expand')
    .option('--fleet-query <sql>', 'with --contract: the same, for the targets this query returns on --database-url')
    .option('--concurrency <n>', 'with --fleet: targets read at once', parsePositive, 4);
  addSourceOptions(diff);
  addDecisionOptions(diff);
  diff.addHelpText('after', `
By default the entities are compared with a shadow database: an embedded PostgreSQL onto which every
migrations/*.up.sql is replayed. With --database-url (or DATABASE_URL) the live database is used, and it
must be at the folder's newest version.

Risky changes become expand → backfill → contract sequences of separate files. When a change needs a
decision, nothing is written, the exit code is 3, and the message names the flag to add.

Examples:
  $ pgshift gen diff                                  # name the files from the changes
  $ pgshift gen diff add_avatar                       # 000007_add_avatar.up.sql / .down.sql
  $ pgshift gen diff --dry-run                        # print the plan and SQL, write nothing
  $ pgshift gen diff --rename users.name=full_name    # expand/contract instead of drop + add
  $ pgshift gen diff --backfill "users.plan='free'"   # new NOT NULL column on a populated table
  $ pgshift gen diff --contract                       # emit recorded contract steps`);
  diff.action(runAction((name: string | undefined, options: GenOptions) => genDiff(name, options, 'write')));
}
