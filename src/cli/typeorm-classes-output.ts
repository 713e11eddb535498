/** `gen diff` in TypeORM format: the plan's steps as migration classes, written all together or not at all. */
import { relative } from 'node:path';
import { contractStepFile, contractStepPath } from '../emit/contract-file';
import { planClassFiles } from '../emit/typeorm-class-files';
import { writeAllOrNothing, type PlannedFile } from '../emit/write-files';
import { latestTimestamp } from '../migrations-dir/typeorm-files';
import type { GenerateResult } from '../pipeline/generate';
import type { Timeouts } from '../planner/step';
import { out, paint } from './output';

export interface ClassOutputOptions {
  readonly dir: string;
  readonly shownDir: string;
  readonly name: string | undefined;
  readonly timeouts: Timeouts;
  readonly toolVersion: string;
  readonly dryRun: boolean;
}

export function writeTypeormClasses(result: GenerateResult, options: ClassOutputOptions): void {
  const classes = planClassFiles(result.plan.steps, {
    dir: options.dir, latestTimestamp: latestTimestamp(result.typeormMigrations), name: options.name,
    timeouts: options.timeouts, rowEstimates: result.rowEstimates, toolVersion: options.toolVersion, targetMajor: result.target.major,
  });
  if (options.dryRun) {
    for (const c of classes) out('', paint.bold(`── ${c.base}.ts`), c.file.content.trimEnd());
    return;
  }
  const files: PlannedFile[] = classes.map((c) => c.file);
  if (result.plan.contracts.length > 0) {
    files.push(contractStepFile(options.dir, classes[0]!.timestamp, result.plan.contracts, result.target.major));
  }
  writeAllOrNothing(files);
  out(`Wrote ${classes.length} TypeORM migration class${classes.length === 1 ? '' : 'es'} to ${options.shownDir}:`);
  result.plan.steps.forEach((step, i) => {
    out(`  ${classes[i]!.base}.ts  ${paint.dim(`[${step.phase}${step.transactional ? '' : ', transaction = false'}] ${step.summary}`)}`);
  });
  if (result.plan.contracts.length > 0) {
    out(`Recorded ${result.plan.contracts.length} contract step(s) in ${relative(process.cwd(), contractStepPath(options.dir, classes[0]!.timestamp))}; emit them later with \`pgshift gen diff --contract\`.`);
  }
  if (result.plan.steps.some((s) => !s.transactional)) {
    out(paint.dim("Classes with `transaction = false` need TypeORM's migrationsTransactionMode: 'each' (TypeORM refuses them under 'all')."));
  }
}
