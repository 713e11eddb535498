/**
 * The gate at `pgshift up`: right before a contract file runs (its header names the contracts it
 * finishes), the database must show their old shapes unused for the quiet period. Checked at that
 * moment, not before the run, so the expand and anything else before it still apply in the same run; a
 * database that had no version when the run began has no application on it and is not gated.
 */
import type { Client } from 'pg';
import { evidenceLines, readEvidence } from './evidence';
import { gateContracts, inUse } from './gate';
import { contractsInFile } from './header';

export interface FileGateOptions {
  readonly quietForMs: number;
  /** `up --force-contract`: go on, with a warning carrying the evidence. */
  readonly force: boolean;
  readonly warn: (message: string) => void;
}

/** Throws (exit 3) when `text` is a contract step whose old shape is still in use. */
export async function gateContractFile(client: Client, fileName: string, text: string, where: string, options: FileGateOptions): Promise<void> {
  const { ids, forced } = contractsInFile(text);
  const gated = ids.filter((id) => !forced.includes(id));
  if (gated.length === 0) return;
  if (!options.force) {
    await gateContracts(client, gated, { quietForMs: options.quietForMs, record: true }, `${where}, before ${fileName}`);
    return;
  }
  const used = inUse(await readEvidence(client, gated, options.quietForMs));
  if (used.length > 0) options.warn(`--force-contract: running ${fileName} although the old shape may still be in use: ${used.flatMap(evidenceLines).join(' · ')}`);
}
