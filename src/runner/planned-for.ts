/**
 * The major a file was planned for, from its header's `-- planned for PostgreSQL N+` (written by
 * src/emit/render-file.ts). `pgshift up` refuses, before running anything, a pending file planned for a
 * newer major than the server: its SQL may use syntax that server rejects (PG 18's
 * `NOT NULL … NOT VALID`), which would fail half way and leave the database dirty. Files without the
 * line (hand-written, golang-migrate's) are accepted.
 */
import type { Client } from 'pg';
import { PgshiftError } from '../errors';

const PLANNED_FOR = /^--\s*planned for PostgreSQL (\d+)\+\s*$/i;

/** N from the leading comment block's `-- planned for PostgreSQL N+`, or null. */
export function plannedForMajor(sql: string): number | null {
  for (const raw of sql.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) return null;
    const match = PLANNED_FOR.exec(line);
    if (match) return Number(match[1]);
  }
  return null;
}

export interface FileText {
  readonly fileName: string;
  readonly text: string;
}

/** Throws for the first file planned for a newer major than the server's. */
export async function refusePlannedForNewer(client: Client, files: readonly FileText[]): Promise<void> {
  if (files.length === 0) return;
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  const serverMajor = Math.floor(Number(rows[0]!.v) / 10000);
  for (const file of files) {
    const major = plannedForMajor(file.text);
    if (major !== null && major > serverMajor) {
      throw new PgshiftError('REFUSED', `${file.fileName} was planned for PostgreSQL ${major}+, but this server runs PostgreSQL ${serverMajor}: nothing was run`, {
        hint: `re-plan it for this server (pgshift gen diff --target-version ${serverMajor}, after removing the unapplied files), or apply it on PostgreSQL ${major} or newer`,
      });
    }
  }
}
