/** Options of `up --fleet` / `status --fleet`, and turning them into this process's list of targets. */
import { InvalidArgumentError, type Command } from 'commander';
import { resolveDatabaseUrl } from '../../db/connect';
import { PgshiftError } from '../../errors';
import { queryInventory, readInventoryFile } from '../../fleet/inventory';
import { parseShard, selectShard, type Shard } from '../../fleet/shard';
import type { FleetTarget } from '../../fleet/target';

export interface FleetFlags {
  fleet?: string;
  fleetQuery?: string;
  databaseUrl?: string;
  concurrency: number;
  perHost?: number;
  shard?: string;
}

export function parsePositive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function addFleetOptions(command: Command): Command {
  return command
    .option('--fleet <inventory>', 'run on every target in this file (one URL per line, or JSON with ids)')
    .option('--fleet-query <sql>', 'run on every target this query returns (url, id columns) on the --database-url control database')
    .option('--concurrency <n>', 'with --fleet: targets at once', parsePositive, 4)
    .option('--per-host <n>', 'with --fleet: targets at once on one server (default: --concurrency)', parsePositive)
    .option('--shard <i/n>', 'with --fleet: take every n-th target, starting at the i-th (CI matrix, indexed Job)');
}

export function isFleet(flags: { fleet?: string; fleetQuery?: string }): boolean {
  return flags.fleet !== undefined || flags.fleetQuery !== undefined;
}

/** The inventory, narrowed to this process's shard. */
export async function fleetTargets(flags: FleetFlags): Promise<{ targets: FleetTarget[]; shard: Shard | null; total: number }> {
  if (flags.fleet !== undefined && flags.fleetQuery !== undefined) throw new PgshiftError('USAGE', 'pass either --fleet or --fleet-query, not both');
  const shard = flags.shard === undefined ? null : parseShard(flags.shard);
  let all: FleetTarget[];
  if (flags.fleetQuery !== undefined) {
    const control = resolveDatabaseUrl(flags.databaseUrl);
    if (!control) throw new PgshiftError('USAGE', '--fleet-query needs the control database', { hint: 'pass --database-url (or DATABASE_URL) for the database the query runs on' });
    all = await queryInventory(control, flags.fleetQuery);
  } else {
    all = readInventoryFile(flags.fleet!);
  }
  return { targets: selectShard(all, shard), shard, total: all.length };
}
