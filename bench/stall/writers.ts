/**
 * The running application during a migration: three connections, one inserting new items and two
 * updating random seeded items — the very rows a backfill fills, so its batches' row locks are met —
 * each write timed. They write only columns no plan kind changes (plus the stable
 * ones an insert needs), so a write fails only because of locks, timeouts or a schema the app cannot use.
 * Bounded: each loop stops when told to or after `maxMs`, and every write has a statement timeout.
 */
import { Client } from 'pg';
import { ACCOUNT_COUNT } from './seed';
import { ITEMS_TABLE } from './items-entity-source';

export interface WriterOptions {
  readonly seededRows: number;
  /** Pause between two writes of one connection: an app that is busy, not a load test. */
  readonly thinkMs: number;
  readonly statementTimeoutMs: number;
  readonly maxMs: number;
  /** Extra columns the new app version inserts once `deployNewApp()` is called. */
  readonly newAppInsert?: Readonly<Record<string, string | number>>;
}

export interface WriterStats {
  readonly role: string;
  readonly writes: number;
  readonly errors: number;
  readonly longestWriteMs: number;
  /** When the longest write started (epoch ms), to tell which migration file it waited for. */
  readonly longestWriteAt: number;
  /** Distinct error messages with their counts, for the report. */
  readonly errorMessages: Record<string, number>;
}

export interface RunningWriters {
  /** The new app version is deployed: inserts also write `newAppInsert`'s columns from now on. */
  deployNewApp(): void;
  stop(): Promise<WriterStats[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Write = (client: Client, n: number) => Promise<unknown>;

function insertItem(extraColumns: () => Readonly<Record<string, string | number>>): Write {
  return (client, n) => {
    const extra = Object.entries(extraColumns());
    const columns = ['account_id', 'sku', 'qty', 'price', 'title', 'category', 'status', ...extra.map(([c]) => `"${c}"`)];
    const values = [1 + (n % ACCOUNT_COUNT), `new-${process.pid}-${n}-${Date.now()}`, n % 1000, '9.99', `new title ${n}`, n % 7, 'new', ...extra.map(([, v]) => v)];
    const params = values.map((_, i) => `$${i + 1}`).join(', ');
    return client.query(`INSERT INTO ${ITEMS_TABLE} (${columns.join(', ')}) VALUES (${params})`, values);
  };
}

function updateItem(seededRows: number): Write {
  return (client) =>
    client.query(`UPDATE ${ITEMS_TABLE} SET hits = hits + 1, touched_at = clock_timestamp() WHERE id = $1`, [
      1 + Math.floor(Math.random() * seededRows),
    ]);
}

async function writerLoop(role: WriterStats['role'], databaseUrl: string, write: Write, options: WriterOptions, stopped: () => boolean): Promise<WriterStats> {
  const client = new Client({ connectionString: databaseUrl, application_name: `bench-writer-${role}` });
  await client.connect();
  await client.query(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
  // A failing write must not kill the loop: the error is what the benchmark counts.
  client.on('error', () => undefined);
  const started = Date.now();
  let writes = 0;
  let errors = 0;
  let longest = 0;
  let longestAt = 0;
  const errorMessages: Record<string, number> = {};
  try {
    while (!stopped() && Date.now() - started < options.maxMs) {
      const t0 = process.hrtime.bigint();
      try {
        await write(client, writes);
      } catch (error) {
        errors += 1;
        const message = (error as Error).message.slice(0, 160);
        errorMessages[message] = (errorMessages[message] ?? 0) + 1;
      }
      const tookMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (tookMs > longest) {
        longest = tookMs;
        longestAt = Date.now() - Math.round(tookMs);
      }
      writes += 1;
      if (options.thinkMs > 0) await sleep(options.thinkMs);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return { role, writes, errors, longestWriteMs: longest, longestWriteAt: longestAt, errorMessages };
}

/** Starts both writers (they connect in the background; the caller lets them warm up before migrating). */
export async function startWriters(databaseUrl: string, options: WriterOptions): Promise<RunningWriters> {
  let stop = false;
  let newApp = false;
  const stopped = () => stop;
  const extraColumns = () => (newApp ? (options.newAppInsert ?? {}) : {});
  const loops = [
    writerLoop('insert', databaseUrl, insertItem(extraColumns), options, stopped),
    writerLoop('update-1', databaseUrl, updateItem(options.seededRows), options, stopped),
    writerLoop('update-2', databaseUrl, updateItem(options.seededRows), options, stopped),
  ];
  return {
    deployNewApp() {
      newApp = true;
    },
    async stop() {
      stop = true;
      return Promise.all(loops);
    },
  };
}
