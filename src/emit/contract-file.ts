/**
 * Pending contract work lives in the migrations folder as `pgshift-contract.json`, reviewed in git like
 * the SQL. `gen diff` adds to it when it emits an expand; `gen diff --contract` turns it into files and
 * empties it. golang-migrate ignores the file (its name is not a migration's).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../diff/change';
import { PgshiftError } from '../errors';
import type { ChangeMatcher, PendingContract } from '../planner/rule';
import type { PlannedFile } from './write-files';

export const CONTRACT_FILE = 'pgshift-contract.json';

interface ContractFileContent {
  readonly pgshift: 1;
  readonly note: string;
  /** `targetMajor`: the major the expand was planned for (the contract's SQL was decided with it). */
  readonly pending: readonly (PendingContract & { readonly expandVersion: number; readonly targetMajor?: number })[];
}

export type RecordedContract = ContractFileContent['pending'][number];

export function contractPath(dir: string): string {
  return join(dir, CONTRACT_FILE);
}

export function readPendingContracts(dir: string): RecordedContract[] {
  const path = contractPath(dir);
  if (!existsSync(path)) return [];
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as ContractFileContent;
    return [...(content.pending ?? [])];
  } catch (error) {
    throw new PgshiftError('MIGRATIONS_DIR', `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'restore it from git; it records contract steps still to emit',
    });
  }
}

export function contractFile(dir: string, pending: readonly RecordedContract[]): PlannedFile {
  const content: ContractFileContent = {
    pgshift: 1,
    note: 'Contract steps pgshift will emit with `pgshift gen diff --contract` once no deployed code uses the old shape. Do not edit by hand.',
    pending,
  };
  return { path: contractPath(dir), content: `${JSON.stringify(content, null, 2)}\n`, replace: true };
}

/** The major to name in the contract files' headers: the newest the expands were planned for (unknown: none). */
export function contractTargetMajor(pending: readonly RecordedContract[]): number | undefined {
  if (pending.length === 0 || pending.some((p) => p.targetMajor === undefined)) return undefined;
  return Math.max(...pending.map((p) => p.targetMajor!));
}

function matches(matcher: ChangeMatcher, change: Change): boolean {
  if (matcher.kind !== change.kind || !('table' in change)) return false;
  const table = change.table;
  if (`${table.schema}.${table.name}` !== matcher.table) return false;
  if (matcher.column === undefined) return true;
  return changedColumn(change) === matcher.column;
}

function changedColumn(change: Change): string | undefined {
  if ('column' in change) return typeof change.column === 'string' ? change.column : change.column.name;
  if (change.kind === 'AlterColumnType' || change.kind === 'AlterColumnIdentity' || change.kind === 'RenameColumn') return change.to.name;
  return undefined;
}

/** Splits diff changes into those a pending contract explains and the rest. */
export function partitionByContracts(changes: readonly Change[], pending: readonly RecordedContract[]): { covered: Change[]; rest: Change[] } {
  const covered: Change[] = [];
  const rest: Change[] = [];
  for (const change of changes) {
    if (pending.some((p) => p.covers.some((m) => matches(m, change)))) covered.push(change);
    else rest.push(change);
  }
  return { covered, rest };
}
