/**
 * Pending contract work lives in the migrations folder, reviewed in git like the SQL: one file per
 * pending step, named by its expand's version (`pgshift-contract/000007.json`), so two branches that
 * each plan an expand never edit the same file. `gen diff` writes one when it emits an expand;
 * `gen diff --contract` turns them into migrations and removes them. The single `pgshift-contract.json`
 * of earlier versions is still read (and emptied by `--contract`). golang-migrate ignores both.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError } from '../errors';
import { parseContractRecord, type PendingContract, type RecordedContract } from '../planner/contracts';
import type { PlannedFile } from './write-files';

/** The single file of earlier versions. */
export const CONTRACT_FILE = 'pgshift-contract.json';
export const CONTRACT_DIR = 'pgshift-contract';
const NOTE = 'Contract steps pgshift will emit with `pgshift gen diff --contract` once no deployed code uses the old shape. Do not edit by hand.';

interface ContractFileContent {
  readonly pgshift: 1;
  readonly note: string;
  readonly pending: readonly RecordedContract[];
}

export function contractPath(dir: string): string {
  return join(dir, CONTRACT_FILE);
}

/** `pgshift-contract/000007.json` for the expand at version 7. */
export function contractStepPath(dir: string, expandVersion: number): string {
  return join(dir, CONTRACT_DIR, `${String(expandVersion).padStart(6, '0')}.json`);
}

function readContractFile(path: string): RecordedContract[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PgshiftError('MIGRATIONS_DIR', `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'restore it from git; it records contract steps still to emit',
    });
  }
  const record = parseContractRecord(json);
  if ('problem' in record) {
    throw new PgshiftError('MIGRATIONS_DIR', `${path} is not a pgshift contract record: ${record.problem}`, {
      hint: 'restore it from git (it records contract steps still to emit; pgshift writes it, people should not edit it)',
    });
  }
  return record.contracts;
}

/** The per-step files present, oldest expand first. */
export function contractStepFiles(dir: string): string[] {
  const folder = join(dir, CONTRACT_DIR);
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((name) => /^\d+\.json$/.test(name)).sort().map((name) => join(folder, name));
}

export function readPendingContracts(dir: string): RecordedContract[] {
  const legacy = existsSync(contractPath(dir)) ? readContractFile(contractPath(dir)) : [];
  const perStep = contractStepFiles(dir).flatMap(readContractFile);
  return [...legacy, ...perStep].sort((a, b) => a.expandVersion - b.expandVersion);
}

/** The record of one expand's contract steps; `targetMajor`: the major the expand was planned for. */
export function contractStepFile(dir: string, expandVersion: number, contracts: readonly PendingContract[], targetMajor?: number): PlannedFile {
  const content: ContractFileContent = { pgshift: 1, note: NOTE, pending: contracts.map((c) => ({ ...c, expandVersion, targetMajor })) };
  return { path: contractStepPath(dir, expandVersion), content: `${JSON.stringify(content, null, 2)}\n` };
}

/** The old single file, rewritten with what is still pending in it (emptied by --contract). */
export function contractFile(dir: string, pending: readonly RecordedContract[]): PlannedFile {
  const content: ContractFileContent = { pgshift: 1, note: NOTE, pending };
  return { path: contractPath(dir), content: `${JSON.stringify(content, null, 2)}\n`, replace: true };
}
