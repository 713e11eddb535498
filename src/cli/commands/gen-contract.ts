/** `pgshift gen diff --contract`: turn the recorded contract steps into migration files. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_DIR, contractFile, contractPath, contractStepFiles, readPendingContracts } from '../../emit/contract-file';
import { contractTargetMajor } from '../../planner/contracts';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing, type PlannedFile } from '../../emit/write-files';
import { EXIT } from '../../errors';
import { latestVersion, readMigrationsDir } from '../../migrations-dir/files';
import { assembleSteps } from '../../planner/assemble';
import type { Timeouts } from '../../planner/step';
import { out } from '../output';
import { planClassFiles } from '../../emit/typeorm-class-files';
import { latestTimestamp, readTypeormMigrationsDir } from '../../migrations-dir/typeorm-files';
import type { Step } from '../../planner/step';
import { guardedSteps } from '../../contract-gate/guard';
import type { ContractRenderOptions } from '../../emit/render-file';

/** What `gen diff --contract` learnt from the database(s) before writing (src/cli/commands/contract-gate-cli.ts). */
export interface ContractGateResult {
  /** Per contract id: one header line of evidence. */
  readonly evidence: ReadonlyMap<string, string>;
  readonly forced: boolean;
}

export async function emitContracts(
  dir: string,
  name: string | undefined,
  timeouts: Timeouts,
  toolVersion: string,
  options: { dryRun: boolean; format: string; files?: 'sql' | 'typeorm'; unqualified?: boolean; gate?: ContractGateResult; quietForMs: number },
): Promise<number> {
  const pending = readPendingContracts(dir);
  if (pending.length === 0) {
    out('No pending contract steps');
    return EXIT.ok;
  }
  // Each fragment carries its contract's id, so every file's header names the contracts it finishes.
  const assembled = assembleSteps(pending.flatMap((p) => p.fragments.map((f) => ({ ...f, contract: p.id }))));
  // The gate travels with the file (any runner runs its guard), unless it was forced past the gate.
  const forced = Boolean(options.gate?.forced);
  const steps = forced ? assembled : guardedSteps(assembled, options.quietForMs);
  const contract: ContractRenderOptions = { contractEvidence: options.gate?.evidence, forcedContracts: forced, contractGuardQuietForMs: forced ? undefined : options.quietForMs };
  if (options.files === 'typeorm') return emitContractClasses(dir, name, steps, { timeouts, toolVersion, dryRun: options.dryRun, targetMajor: contractTargetMajor(pending), contract });
  const files = planFiles(steps, {
    dir, latestVersion: latestVersion(readMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor: contractTargetMajor(pending), unqualified: options.unqualified,
    ...contract,
  });
  if (options.dryRun) {
    for (const f of files) out('', `── ${f.base}.up.sql`, f.up.content.trimEnd(), '', `── ${f.base}.down.sql`, f.down.content.trimEnd());
    return EXIT.ok;
  }
  writeAndRetireRecords(dir, files.flatMap((f) => [f.up, f.down]));
  out(`Wrote ${files.length} contract migration pair${files.length === 1 ? '' : 's'}:`);
  for (const f of files) out(`  ${f.base}.up.sql / .down.sql`);
  return EXIT.ok;
}

/** Writes the contract migrations, then removes the records they came from (the old single file is emptied). */
function writeAndRetireRecords(dir: string, migrations: readonly PlannedFile[]): void {
  const stepRecords = contractStepFiles(dir);
  writeAllOrNothing([...migrations, ...(existsSync(contractPath(dir)) ? [contractFile(dir, [])] : [])]);
  for (const path of stepRecords) rmSync(path, { force: true });
  const recordDir = join(dir, CONTRACT_DIR);
  if (existsSync(recordDir) && readdirSync(recordDir).length === 0) rmSync(recordDir, { recursive: true });
}

interface ClassEmit {
  readonly timeouts: Timeouts;
  readonly toolVersion: string;
  readonly dryRun: boolean;
  readonly targetMajor: number | undefined;
  readonly contract: ContractRenderOptions;
}

function emitContractClasses(dir: string, name: string | undefined, steps: readonly Step[], options: ClassEmit): number {
  const { timeouts, toolVersion, dryRun, targetMajor } = options;
  const classes = planClassFiles(steps, { dir, latestTimestamp: latestTimestamp(readTypeormMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor, ...options.contract });
  if (dryRun) {
    for (const c of classes) out('', `── ${c.base}.ts`, c.file.content.trimEnd());
    return EXIT.ok;
  }
  writeAndRetireRecords(dir, classes.map((c) => c.file));
  out(`Wrote ${classes.length} contract migration class${classes.length === 1 ? '' : 'es'}:`);
  for (const c of classes) out(`  ${c.base}.ts`);
  return EXIT.ok;
}
