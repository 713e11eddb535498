/**
 * The contract gate (issue #15): a contract step drops what old code may still use, so it is written
 * (`gen diff --contract --database-url …`) and run (`pgshift up`) only while the database shows the old
 * shape unused for the whole quiet period. Otherwise: exit 3 with the evidence, and `--force-contract`
 * as the way past it (the written file then records that it was forced).
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';
import { evidenceLines, readEvidence, recordSnapshots, type ContractEvidence } from './evidence';
import { formatSpan } from './quiet-for';
import { proofLine } from './type-swap-proof';

export interface GateOptions {
  readonly quietForMs: number;
  /** Keep a read snapshot (the acting commands do; check and status only look). */
  readonly record: boolean;
}

export function inUse(evidence: readonly ContractEvidence[]): ContractEvidence[] {
  return evidence.filter((e) => e.usedBecause.length > 0);
}

/** Reads the evidence; throws (exit 3) while any of the old shapes was used within the quiet period. */
export async function gateContracts(client: Client, ids: readonly string[], options: GateOptions, where: string): Promise<ContractEvidence[]> {
  const evidence = await readEvidence(client, ids, options.quietForMs);
  if (options.record) await recordSnapshots(client, evidence);
  const used = inUse(evidence);
  if (used.length > 0) throw refusal(used, options.quietForMs, where);
  return evidence;
}

export function refusal(used: readonly ContractEvidence[], quietForMs: number, where: string): PgshiftError {
  const lines = used.flatMap((e) => evidenceLines(e).map((l) => `  ${l}`));
  return new PgshiftError('DECISION', `${used.length === 1 ? 'a contract step' : `${used.length} contract steps`} would drop an old shape still in use within the last ${formatSpan(quietForMs)} (${where}):\n${lines.join('\n')}`, {
    hint: 'deploy code that no longer uses the old shape and wait out --quiet-for (default 24h); a type swap waits for its backfill and sync trigger; --force-contract goes ahead anyway (a written file records that it was forced)',
  });
}

/** One line per contract for a file header: what the gate saw when the file was written. */
export function headerEvidence(e: ContractEvidence, where: string): string {
  const write = e.lastOldWrite ? `last old write ${e.lastOldWrite.toISOString()}` : 'no old write';
  const reads = e.reads.kind === 'unverified' ? 'reads unverified' : e.reads.kind === 'quiet' ? 'no reads' : `${e.reads.statements.length} statement(s) still calling`;
  const state = e.tracking === 'same-name' ? 'same name, nothing to watch'
    : e.tracking === 'unwatched' ? 'no usage record'
    : e.tracking === 'data-proof' ? proofLine(e.proof ?? null)
    : `${write}, ${reads}`;
  return `${e.id} on ${where} at ${e.now.toISOString()}: ${state}`;
}
