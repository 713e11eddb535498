/**
 * `pgshift rebase`: this branch's migrations, renumbered after the base branch's newest and planned
 * again against the base's schema. The base's folder (read from git, not the working tree) is replayed
 * on a shadow and the entities are diffed against it, so the files describe what main now is — a column
 * main already added is no longer planned, and is reported. The branch's old files (those the base does
 * not have, including its per-step contract records) are replaced all together, or nothing changes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contractStepFile, CONTRACT_DIR, CONTRACT_FILE } from '../emit/contract-file';
import { planFiles, type StepFiles } from '../emit/plan-files';
import { assertSchemaPerTenant } from '../emit/unqualified';
import { writeAllOrNothing, type PlannedFile } from '../emit/write-files';
import { PgshiftError } from '../errors';
import { latestVersion, readMigrationsDir } from '../migrations-dir/files';
import type { Decisions } from '../planner/decisions';
import { planFromState, readDatabaseState, type GenerateResult } from '../pipeline/generate';
import { fileAt, filesAt, pathInRepository, repositoryRoot, resolveBase } from './git';

export interface RebaseInput {
  readonly dir: string;
  readonly configPath: string;
  readonly base?: string;
  readonly decisions: Decisions;
  readonly renameSpecs?: readonly string[];
  readonly name?: string;
  readonly toolVersion: string;
  readonly dryRun?: boolean;
  /** Schema-per-tenant files (unqualified names). */
  readonly unqualified?: boolean;
}

export interface RebaseResult {
  readonly base: string;
  readonly baseNewest: number | null;
  /** The branch's files that were replaced (names relative to the folder). */
  readonly removed: readonly string[];
  readonly written: readonly StepFiles[];
  readonly contractRecord: string | null;
  /** What the branch's old files did that the base already has (or no longer needs). */
  readonly noLongerApplies: readonly string[];
  /** Decisions the new plan needs: nothing was written. */
  readonly needs: GenerateResult['plan']['needs'];
  /** The branch's files already are exactly what the rebase would write. */
  readonly unchanged: boolean;
}

const MIGRATION = /^[0-9]+_.*\.(up|down)\.sql$/;
const isFolderFile = (name: string) => MIGRATION.test(name) || name === CONTRACT_FILE || new RegExp(`^${CONTRACT_DIR}/\\d+\\.json$`).test(name);

function workingTreeFiles(dir: string): string[] {
  // Not readMigrationsDir: a folder with two version-7 pairs is exactly what rebase is for.
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => MIGRATION.test(n)) : [];
  const contracts = existsSync(join(dir, CONTRACT_DIR)) ? readdirSync(join(dir, CONTRACT_DIR)).map((n) => `${CONTRACT_DIR}/${n}`) : [];
  return [...names, ...(existsSync(join(dir, CONTRACT_FILE)) ? [CONTRACT_FILE] : []), ...contracts].filter(isFolderFile);
}

/** The `What:` items of the branch's old up files: what each change was. */
function changesIn(dir: string, files: readonly string[]): string[] {
  return files.filter((f) => f.endsWith('.up.sql')).flatMap((f) => {
    const what = /^-- What: (.*)$/m.exec(readFileSync(join(dir, f), 'utf8'));
    return what ? what[1]!.split('; ') : [];
  });
}

/** Copies the base's folder out of git into a temporary directory. */
function materializeBase(root: string, base: string, folder: string, names: readonly string[]): string {
  const temp = mkdtempSync(join(tmpdir(), 'pgshift-rebase-'));
  for (const name of names) {
    const path = join(temp, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fileAt(root, base, folder === '' ? name : `${folder}/${name}`));
  }
  return temp;
}

export async function rebaseMigrations(input: RebaseInput): Promise<RebaseResult> {
  const root = repositoryRoot(input.dir);
  const base = resolveBase(root, input.base);
  const folder = pathInRepository(root, input.dir);
  const baseNames = filesAt(root, base, folder).filter(isFolderFile);
  const onBase = new Set(baseNames);
  const present = workingTreeFiles(input.dir);
  const missing = baseNames.filter((n) => MIGRATION.test(n) && !present.includes(n));
  if (missing.length > 0) {
    throw new PgshiftError('USAGE', `the folder lacks ${missing.length} migration file(s) that ${base} has (${missing[0]})`, {
      hint: `merge ${base} into this branch first (git merge ${base}), then run pgshift rebase`,
    });
  }
  const branchFiles = present.filter((n) => !onBase.has(n));
  const baseTemp = materializeBase(root, base, folder, baseNames);
  try {
    const baseNewest = latestVersion(readMigrationsDir(baseTemp));
    const empty = { base, baseNewest, removed: [], written: [], contractRecord: null, noLongerApplies: [], needs: [], unchanged: false };
    if (!branchFiles.some((n) => MIGRATION.test(n))) return empty;
    const state = await readDatabaseState({ configPath: input.configPath, dir: baseTemp, databaseUrl: undefined });
    const result = planFromState(state, input.decisions, input.renameSpecs ?? []);
    if (result.plan.needs.length > 0) return { ...empty, needs: result.plan.needs };
    if (input.unqualified) assertSchemaPerTenant(result.desired);
    const oldUps = branchFiles.filter((n) => n.endsWith('.up.sql'));
    const name = input.name ?? (oldUps.length === 1 && result.plan.steps.length === 1 ? /^[0-9]+_(.*)\.up\.sql$/.exec(oldUps[0]!)![1] : undefined);
    const written = planFiles(result.plan.steps, {
      dir: input.dir, latestVersion: baseNewest, name, timeouts: input.decisions.timeouts, rowEstimates: new Map(), toolVersion: input.toolVersion, unqualified: input.unqualified,
    });
    const newChanges = new Set(result.plan.steps.flatMap((s) => s.summary.split('; ')));
    const noLongerApplies = [...new Set(changesIn(input.dir, branchFiles))].filter((c) => !newChanges.has(c));
    const record = result.plan.contracts.length > 0 ? contractStepFile(input.dir, written[0]!.version, result.plan.contracts) : null;
    const planned: PlannedFile[] = [...written.flatMap((f) => [f.up, f.down]), ...(record ? [record] : [])];
    const unchanged = sameFiles(input.dir, branchFiles, planned);
    const outcome = { base, baseNewest, removed: branchFiles, written, contractRecord: record ? `${CONTRACT_DIR}/${record.path.split('/').at(-1)}` : null, noLongerApplies, needs: [], unchanged };
    if (input.dryRun || unchanged) return outcome;
    replaceFiles(input.dir, branchFiles, planned);
    return outcome;
  } finally {
    rmSync(baseTemp, { recursive: true, force: true });
  }
}

function sameFiles(dir: string, oldFiles: readonly string[], planned: readonly PlannedFile[]): boolean {
  const oldPaths = new Set(oldFiles.map((n) => join(dir, n)));
  return oldPaths.size === planned.length && planned.every((f) => oldPaths.has(f.path) && readFileSync(f.path, 'utf8') === f.content);
}

/** Writes the new files (over old ones of the same name) all together, then removes the rest of the old ones. */
function replaceFiles(dir: string, oldFiles: readonly string[], planned: readonly PlannedFile[]): void {
  const newPaths = new Set(planned.map((f) => f.path));
  const oldPaths = oldFiles.map((n) => join(dir, n));
  writeAllOrNothing(planned.map((f) => (oldPaths.includes(f.path) ? { ...f, replace: true } : f)));
  for (const path of oldPaths) if (!newPaths.has(path)) rmSync(path, { force: true });
}
