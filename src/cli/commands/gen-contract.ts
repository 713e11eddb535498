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
  options: { dryRun: boolean; format: string; files?: 'sql' | 'typeorm'; unqualified?: boolean; gate?: ContractGateResult },
): Promise<number> {
  const pending = readPendingContracts(dir);
  if (pending.length === 0) {
    out('No pending contract steps');
    return EXIT.ok;
  }
  // Each fragment carries its contract's id, so every file's header names the contracts it finishes.
  const steps = assembleSteps(pending.flatMap((p) => p.fragments.map((f) => ({ ...f, contract: p.id }))));
  if (options.files === 'typeorm') return emitContractClasses(dir, name, steps, timeouts, toolVersion, options.dryRun, contractTargetMajor(pending));
  const files = planFiles(steps, {
    dir, latestVersion: latestVersion(readMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor: contractTargetMajor(pending), unqualified: options.unqualified,
    contractEvidence: options.gate?.evidence, forcedContracts: options.gate?.forced,
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

function emitContractClasses(dir: string, name: string | undefined, steps: readonly Step[], timeouts: Timeouts, toolVersion: string, dryRun: boolean, targetMajor: number | undefined): number {
  const classes = planClassFiles(steps, { dir, latestTimestamp: latestTimestamp(readTypeormMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor });
  if (dryRun) {
    for (const c of classes) out('', `── ${c.base}.ts`, c.file.content.trimEnd());
    return EXIT.ok;
  }
  writeAndRetireRecords(dir, classes.map((c) => c.file));
  out(`Wrote ${classes.length} contract migration class${classes.length === 1 ? '' : 'es'}:`);
  for (const c of classes) out(`  ${c.base}.ts`);
  return EXIT.ok;
}
