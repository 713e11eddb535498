/**
 * The yardstick for a batched backfill: the same rows filled by ONE plain `UPDATE … SET <set> WHERE
 * <where>` (what a hand-written migration would do), on a fresh copy at the same point of the plan (the
 * files before the backfill applied: same columns, same sync triggers), under the same writers. The
 * backfill's total time is compared with it (target: within 2×); its longest write shows what the plain
 * UPDATE's row locks cost the app.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrationFiles, type AppliedFile } from './apply-migration-files';
import { startWriters, type WriterOptions } from './writers';

export interface BackfillBaseline {
  readonly file: string;
  /** The batched backfill file's time in the measured run. */
  readonly backfillMs: number;
  readonly plainUpdateMs: number | null;
  /** backfillMs / plainUpdateMs. */
  readonly ratio: number | null;
  readonly plainLongestWriteMs: number | null;
  readonly rowsUpdated: number | null;
  readonly note?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SET list and the WHERE of pgshift's keyset backfill (its batch UPDATE, src/planner/backfill.ts), as one UPDATE. */
export function plainUpdateOf(sql: string): string | null {
  const batch = /\n\s+UPDATE (\S+) SET ([^\n]*)\n\s+WHERE [^\n]*\n\s+AND \(([^\n]*)\)\n\s+\$pgshift_fill/.exec(sql);
  return batch ? `UPDATE ${batch[1]} SET ${batch[2]} WHERE ${batch[3]}` : null;
}

export function backfillFiles(files: readonly AppliedFile[], dir: string): AppliedFile[] {
  return files.filter((f) => /_backfill_/.test(f.file) && /^DO \$pgshift_backfill\$/m.test(readFileSync(join(dir, f.file), 'utf8')));
}

export async function measurePlainUpdate(
  databaseUrl: string, migrationsDir: string, file: AppliedFile, writerOptions: WriterOptions, warmupMs: number,
): Promise<BackfillBaseline> {
  const sql = plainUpdateOf(readFileSync(join(migrationsDir, file.file), 'utf8'));
  const base = { file: file.file, backfillMs: file.ms };
  if (!sql) return { ...base, plainUpdateMs: null, ratio: null, plainLongestWriteMs: null, rowsUpdated: null, note: 'not a keyset backfill' };
  const expand = await applyMigrationFiles(databaseUrl, migrationsDir, writerOptions.statementTimeoutMs, Number(file.file.split('_')[0]));
  if (!expand.ok) return { ...base, plainUpdateMs: null, ratio: null, plainLongestWriteMs: null, rowsUpdated: null, note: expand.error };
  const writers = await startWriters(databaseUrl, writerOptions);
  await sleep(warmupMs);
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-plain-update' });
  await client.connect();
  try {
    await client.query(`SET statement_timeout = ${Math.round(writerOptions.statementTimeoutMs)}`);
    const t0 = Date.now();
    const result = await client.query(sql);
    const plainUpdateMs = Date.now() - t0;
    const stats = await writers.stop();
    return {
      ...base, plainUpdateMs, ratio: file.ms / Math.max(1, plainUpdateMs),
      plainLongestWriteMs: Math.max(...stats.map((s) => s.longestWriteMs)), rowsUpdated: result.rowCount,
    };
  } finally {
    await writers.stop().catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
