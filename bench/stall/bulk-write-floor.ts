/**
 * The second noise floor: the same writers while the server writes what a backfill of this table writes,
 * with no lock in common. A copy of the items table (`bench_items_copy`, same rows, same width) is updated
 * in full twice by a session of its own — two backfills' worth of WAL and dirty pages — while the writers
 * update the real table. Nothing they touch is locked by it, so their longest write here is what the
 * server's own I/O (WAL flushes, the checkpoints that WAL volume triggers, their fsyncs) costs one write
 * on this machine. Why it is needed: on 2026-12-01 every 1,000,000-row outlier above 100 ms sat inside a
 * checkpoint's sync phase in the server log, and writers beside such bulk UPDATEs of another table (no
 * lock in common, measured with pgbench) waited 266–440 ms.
 */
import type { Client } from 'pg';
import { createDatabase, dropDatabase, withClient } from '../lib/admin-db';
import { ITEMS_TABLE } from './items-entity-source';
import { startWriters } from './writers';

export interface BulkWriteFloor {
  readonly longestWriteMs: number;
  /** How long the two full-table UPDATEs of the copy took. */
  readonly bulkWriteMs: number;
  /** Checkpoints the server started meanwhile (requested by WAL volume or timed). */
  readonly checkpoints: number | null;
}

export interface FloorOptions {
  readonly adminUrl: string;
  readonly databasePrefix: string;
  readonly rows: number;
  readonly thinkMs: number;
  readonly warmupMs: number;
  readonly statementTimeoutMs: number;
}

const COPY_TABLE = 'bench_items_copy';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checkpoints started so far: pg_stat_checkpointer from PG 17, pg_stat_bgwriter before. */
export async function checkpointCount(client: Client): Promise<number | null> {
  const { rows: [where] } = await client.query<{ v17: boolean }>("SELECT to_regclass('pg_catalog.pg_stat_checkpointer') IS NOT NULL AS v17");
  const sql = where?.v17
    ? 'SELECT num_requested + num_timed AS n FROM pg_stat_checkpointer'
    : 'SELECT checkpoints_req + checkpoints_timed AS n FROM pg_stat_bgwriter';
  const { rows } = await client.query<{ n: string | null }>(sql);
  return rows[0]?.n == null ? null : Number(rows[0].n);
}

export async function bulkWriteFloor(options: FloorOptions, template: string): Promise<BulkWriteFloor> {
  const database = `${options.databasePrefix}_stall_bulk_floor`;
  const url = await createDatabase(options.adminUrl, database, template, options.rows >= 100_000);
  try {
    await withClient(url, async (c) => {
      await c.query(`CREATE TABLE ${COPY_TABLE} AS SELECT * FROM ${ITEMS_TABLE}`);
      // Start from a checkpoint, as every kind's copy does (CREATE DATABASE forces one).
      await c.query('CHECKPOINT');
    });
    const writers = await startWriters(url, { seededRows: options.rows, thinkMs: options.thinkMs, statementTimeoutMs: options.statementTimeoutMs, maxMs: options.statementTimeoutMs * 4 });
    await sleep(options.warmupMs);
    const { bulkWriteMs, checkpoints } = await withClient(url, async (c) => {
      await c.query(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
      const before = await checkpointCount(c);
      const t0 = Date.now();
      // Each UPDATE writes a new version of every row, as a backfill does.
      await c.query(`UPDATE ${COPY_TABLE} SET qty = qty`);
      await c.query(`UPDATE ${COPY_TABLE} SET qty = qty`);
      const ms = Date.now() - t0;
      const after = await checkpointCount(c);
      return { bulkWriteMs: ms, checkpoints: before === null || after === null ? null : after - before };
    });
    const stats = await writers.stop();
    return { longestWriteMs: Math.max(...stats.map((s) => s.longestWriteMs)), bulkWriteMs, checkpoints };
  } finally {
    await dropDatabase(options.adminUrl, database);
  }
}
