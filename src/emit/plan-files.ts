/**
 * A plan's steps → golang-migrate file pairs, numbered on from the folder's highest version
 * (six digits, as `migrate create -seq` does).
 */
import { join } from 'node:path';
import type { Step, Timeouts } from '../planner/step';
import { slugify } from '../planner/describe';
import { contractRenderOptions, renderFile, type ContractRenderOptions } from './render-file';
import type { PlannedFile } from './write-files';
import { unqualifyDefaultSchema } from './unqualified';

/** Contract steps: see ContractRenderOptions. */
export interface PlanFilesOptions extends ContractRenderOptions {
  readonly dir: string;
  /** Highest version already in the folder, or null. */
  readonly latestVersion: number | null;
  /** Optional `[name]` from the command line. */
  readonly name?: string;
  readonly timeouts: Timeouts;
  readonly rowEstimates: ReadonlyMap<string, number>;
  readonly toolVersion: string;
  /** The plan's target major, named in every header. */
  readonly targetMajor?: number;
  /** Schema-per-tenant: names in the default schema unqualified (search_path picks the tenant). */
  readonly unqualified?: boolean;
}

export interface StepFiles {
  readonly version: number;
  readonly base: string;
  readonly up: PlannedFile;
  readonly down: PlannedFile;
}

export function formatVersion(version: number): string {
  return String(version).padStart(6, '0');
}

export function planFiles(steps: readonly Step[], options: PlanFilesOptions): StepFiles[] {
  const first = (options.latestVersion ?? 0) + 1;
  const name = options.name ? slugify(options.name) : undefined;
  return steps.map((step, i) => {
    const version = first + i;
    const slug = name === undefined ? step.slug : steps.length === 1 ? name : slugify(`${name}_${step.slug}`);
    const base = `${formatVersion(version)}_${slugify(slug)}`;
    const text = (direction: 'up' | 'down') => {
      const content = renderFile(step, direction, render);
      return options.unqualified ? unqualifyDefaultSchema(content) : content;
    };
    const render = { index: i + 1, total: steps.length, fileBase: base, timeouts: options.timeouts, rowEstimates: options.rowEstimates, toolVersion: options.toolVersion, targetMajor: options.targetMajor,
      ...contractRenderOptions(options) };
    return {
      version,
      base,
      up: { path: join(options.dir, `${base}.up.sql`), content: text('up') },
      down: { path: join(options.dir, `${base}.down.sql`), content: text('down') },
    };
  });
}
