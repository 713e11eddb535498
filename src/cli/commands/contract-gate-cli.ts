/**
 * `gen diff --contract` with a database to ask (`--database-url`, or `--fleet`): the contract files are
 * written only while every database shows the old shapes unused for `--quiet-for`; with
 * `--force-contract` they are written anyway and their headers say so. Without a database (shadow mode)
 * they are written as before and the gate runs at `pgshift up`.
 */
import { readFileSync } from 'node:fs';
import { describeTarget } from '../../db/connect';
import { contractsInFile } from '../../contract-gate/header';
import { targetConnection } from '../../db/golang-migrate-url';
import { evidenceLines, readEvidence, type ContractEvidence } from '../../contract-gate/evidence';
import { gateContracts, headerEvidence, inUse, refusal } from '../../contract-gate/gate';
import { formatSpan } from '../../contract-gate/quiet-for';
import { PgshiftError } from '../../errors';
import { fleetContractEvidence } from '../../fleet/contract-guard';
import type { FleetTarget } from '../../fleet/target';
import { withConnection } from '../../runner/connections';
import { paint } from '../output';
import type { ContractGateResult } from './gen-contract';

export interface ContractGateFlags {
  readonly quietForMs: number;
  readonly force: boolean;
}

function warnForced(lines: readonly string[]): void {
  process.stderr.write(`${paint.yellow('warning:')} --force-contract: writing the contract although the old shape may still be in use:\n${lines.map((l) => `  ${l}\n`).join('')}`);
}

export async function gateOneDatabase(url: string, ids: readonly string[], flags: ContractGateFlags): Promise<ContractGateResult> {
  const where = describeTarget(url);
  const evidence = await withConnection(targetConnection(url).url, async (client) => {
    if (!flags.force) return gateContracts(client, ids, { quietForMs: flags.quietForMs, record: true }, where);
    return readEvidence(client, ids, flags.quietForMs);
  });
  if (flags.force && inUse(evidence).length > 0) warnForced(inUse(evidence).flatMap(evidenceLines));
  return { evidence: new Map(evidence.map((e) => [e.id, headerEvidence(e, where)])), forced: flags.force };
}

function targetLines(id: string, evidence: readonly ContractEvidence[], error: string | null): string[] {
  if (error !== null) return [`${id}: unreadable (${error})`];
  return inUse(evidence).flatMap((e, i) => evidenceLines(e).map((l, j) => (i === 0 && j === 0 ? `${id}: ${l}` : `  ${l}`)));
}

export async function gateFleet(
  targets: readonly FleetTarget[], ids: readonly string[], flags: ContractGateFlags & { concurrency: number; perHost: number },
): Promise<ContractGateResult> {
  const results = await fleetContractEvidence(targets, ids, { ...flags, record: !flags.force });
  const used = results.filter((r) => r.error !== null || inUse(r.evidence).length > 0);
  const lines = used.slice(0, 10).flatMap((r) => targetLines(r.id, r.evidence, r.error));
  if (used.length > 0 && !flags.force) {
    const one = used.length === 1 && used[0]!.error === null ? refusal(inUse(used[0]!.evidence), flags.quietForMs, used[0]!.id) : null;
    throw one ?? new PgshiftError('DECISION', `the old shape is still in use within the last ${formatSpan(flags.quietForMs)} on ${used.length} of ${targets.length} targets:\n${lines.map((l) => `  ${l}`).join('\n')}${used.length > 10 ? '\n  …' : ''}`, {
      hint: 'the contract waits until every target is quiet: deploy code that no longer uses the old shape everywhere and wait out --quiet-for; --force-contract goes ahead anyway',
    });
  }
  if (used.length > 0) warnForced(lines);
  const evidence = new Map<string, string>();
  for (const id of ids) {
    const quiet = results.filter((r) => r.error === null && r.evidence.some((e) => e.id === id && e.usedBecause.length === 0)).length;
    evidence.set(id, `${id} on ${targets.length} target${targets.length === 1 ? '' : 's'}: ${quiet} quiet for ${formatSpan(flags.quietForMs)}${quiet < targets.length ? `, ${targets.length - quiet} in use or unreadable` : ''}`);
  }
  return { evidence, forced: flags.force };
}

/**
 * `check` and `status`: each pending contract (recorded, or written and not yet applied) with what the
 * database shows about its old shape. Read-only: no snapshot is kept.
 */
export async function contractEvidenceReport(url: string, ids: readonly string[], quietForMs: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const evidence = await withConnection(targetConnection(url).url, (client) => readEvidence(client, ids, quietForMs));
  const used = inUse(evidence).length;
  return [
    `Contract evidence (${describeTarget(url)}, quiet period ${formatSpan(quietForMs)}): ${used === 0 ? 'every old shape is quiet' : `${used} of ${evidence.length} still in use`}`,
    ...evidence.flatMap((e) => evidenceLines(e).map((l) => `  ${l}`)),
  ];
}

/** The contract ids of the folder's up files that are not applied yet (their headers name them). */
export function pendingContractFileIds(files: readonly { path: string }[]): string[] {
  return [...new Set(files.flatMap((f) => contractsInFile(readFileSync(f.path, 'utf8')).ids))];
}
