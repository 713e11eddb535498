/** `pgshift gen diff --contract`: turn the recorded contract steps into migration files. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_DIR, contractFile, contractPath, contractStepFiles, readPendingContracts } from '../../emit/contract-file';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing } from '../../emit/write-files';
import { EXIT } from '../../errors';
import { latestVersion, readMigrationsDir } from '../../migrations-dir/files';
import { assembleSteps } from '../../planner/assemble';
import type { Timeouts } from '../../planner/step';
import { out } from '../output';

export async function emitContracts(
  dir: string,
  name: string | undefined,
  timeouts: Timeouts,
  toolVersion: string,
  options: { dryRun: boolean; format: string; unqualified?: boolean },
): Promise<number> {
  const pending = readPendingContracts(dir);
  if (pending.length === 0) {
    out('No pending contract steps');
    return EXIT.ok;
  }
  const steps = assembleSteps(pending.flatMap((p) => p.fragments));
  const files = planFiles(steps, { dir, latestVersion: latestVersion(readMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, unqualified: options.unqualified });
  if (options.dryRun) {
    for (const f of files) out('', `── ${f.base}.up.sql`, f.up.content.trimEnd(), '', `── ${f.base}.down.sql`, f.down.content.trimEnd());
    return EXIT.ok;
  }
  const stepRecords = contractStepFiles(dir);
  writeAllOrNothing([...files.flatMap((f) => [f.up, f.down]), ...(existsSync(contractPath(dir)) ? [contractFile(dir, [])] : [])]);
  // The migrations are written; the records they came from are done.
  for (const path of stepRecords) rmSync(path, { force: true });
  const recordDir = join(dir, CONTRACT_DIR);
  if (existsSync(recordDir) && readdirSync(recordDir).length === 0) rmSync(recordDir, { recursive: true });
  out(`Wrote ${files.length} contract migration pair${files.length === 1 ? '' : 's'}:`);
  for (const f of files) out(`  ${f.base}.up.sql / .down.sql`);
  return EXIT.ok;
}
