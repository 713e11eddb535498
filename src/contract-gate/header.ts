/**
 * The header lines that make a migration file a contract step: `gen diff --contract` writes them, and
 * `pgshift up` reads them to know, before running the file, which pending contracts it finishes — and
 * whether the one who wrote it forced it past the gate (then the file says so for the reviewer, and `up`
 * does not ask again).
 */
const CONTRACT = '-- pgshift:contract ';
const FORCED = '-- pgshift:contract-forced ';

export function contractLine(id: string): string {
  return `${CONTRACT}${id}`;
}

export function forcedLine(id: string): string {
  return `${FORCED}${id}`;
}

export interface FileContracts {
  /** Every contract the file finishes. */
  readonly ids: readonly string[];
  /** Those written with --force-contract. */
  readonly forced: readonly string[];
}

/** The contract ids named in the leading comment block of a migration file. */
export function contractsInFile(sql: string): FileContracts {
  const ids: string[] = [];
  const forced: string[] = [];
  for (const raw of sql.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    if (!line.startsWith('--')) break;
    if (line.startsWith(CONTRACT)) ids.push(line.slice(CONTRACT.length).trim());
    else if (line.startsWith(FORCED)) forced.push(line.slice(FORCED.length).trim());
  }
  return { ids, forced };
}
