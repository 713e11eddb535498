/** `pgshift gen diff --contract`: turn the recorded contract steps into migration files. */
import { contractFile, contractTargetMajor, readPendingContracts } from '../../emit/contract-file';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing } from '../../emit/write-files';
import { EXIT } from '../../errors';
import { latestVersion, readMigrationsDir } from '../../migrations-dir/files';
import { assembleSteps } from '../../planner/assemble';
import type { Timeouts } from '../../planner/step';
import { out } from '../output';
import { planClassFiles } from '../../emit/typeorm-class-files';
import { latestTimestamp, readTypeormMigrationsDir } from '../../migrations-dir/typeorm-files';
import type { Step } from '../../planner/step';

export async function emitContracts(
  dir: string,
  name: string | undefined,
  timeouts: Timeouts,
  toolVersion: string,
  options: { dryRun: boolean; format: string; files?: 'sql' | 'typeorm' },
): Promise<number> {
  const pending = readPendingContracts(dir);
  if (pending.length === 0) {
    out('No pending contract steps');
    return EXIT.ok;
  }
  const steps = assembleSteps(pending.flatMap((p) => p.fragments));
  if (options.files === 'typeorm') return emitContractClasses(dir, name, steps, timeouts, toolVersion, options.dryRun, contractTargetMajor(pending));
  const files = planFiles(steps, { dir, latestVersion: latestVersion(readMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor: contractTargetMajor(pending) });
  if (options.dryRun) {
    for (const f of files) out('', `── ${f.base}.up.sql`, f.up.content.trimEnd(), '', `── ${f.base}.down.sql`, f.down.content.trimEnd());
    return EXIT.ok;
  }
  writeAllOrNothing([...files.flatMap((f) => [f.up, f.down]), contractFile(dir, [])]);
  out(`Wrote ${files.length} contract migration pair${files.length === 1 ? '' : 's'}:`);
  for (const f of files) out(`  ${f.base}.up.sql / .down.sql`);
  return EXIT.ok;
}

function emitContractClasses(dir: string, name: string | undefined, steps: readonly Step[], timeouts: Timeouts, toolVersion: string, dryRun: boolean, targetMajor: number | undefined): number {
  const classes = planClassFiles(steps, { dir, latestTimestamp: latestTimestamp(readTypeormMigrationsDir(dir)), name, timeouts, rowEstimates: new Map(), toolVersion, targetMajor });
  if (dryRun) {
    for (const c of classes) out('', `── ${c.base}.ts`, c.file.content.trimEnd());
    return EXIT.ok;
  }
  writeAllOrNothing([...classes.map((c) => c.file), contractFile(dir, [])]);
  out(`Wrote ${classes.length} contract migration class${classes.length === 1 ? '' : 'es'}:`);
  for (const c of classes) out(`  ${c.base}.ts`);
  return EXIT.ok;
}
