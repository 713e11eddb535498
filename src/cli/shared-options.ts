/** Options several commands share, declared once so names, defaults and help read the same everywhere. */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PgshiftError } from '../errors';

export interface SourceOptions {
  config: string;
  dir: string;
  databaseUrl?: string;
  targetVersion?: string;
  shadowUrl?: string;
}

export function addSourceOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'TypeORM config module that exports the DataSource', 'ormconfig.ts')
    .option('-d, --dir <path>', 'golang-migrate migrations folder', 'migrations')
    .addOption(new Option('--database-url <url>', 'compare with this database instead of a shadow one (default: $DATABASE_URL)'))
    .addOption(new Option('--target-version <major>', 'PostgreSQL major (13-18) the plan is for (default: $PGSHIFT_TARGET_VERSION, package.json "pgshift.targetVersion", the live server, else portable 13+)'))
    .addOption(new Option('--shadow-url <url>', 'replay the migrations into a throwaway database on this server instead of an embedded one (default: $PGSHIFT_SHADOW_URL)'));
}

/** `--shadow-url`, else `PGSHIFT_SHADOW_URL`, else undefined (the embedded shadow). */
export function resolveShadowUrl(flag: string | undefined): string | undefined {
  const url = flag ?? process.env.PGSHIFT_SHADOW_URL;
  return url && url.trim() !== '' ? url.trim() : undefined;
}

export function addDecisionOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return command
    .option('--rename <spec>', 'declare a rename: table.old_column=new_column or old_table=new_table (repeatable)', collect)
    .option('--backfill <spec>', 'fill existing rows of a new NOT NULL column: table.column=<SQL expression> (repeatable)', collect)
    .option('--allow-destructive', 'allow drops (columns, indexes, constraints, enum values) as contract steps')
    .option('--drop-unmanaged', 'with --allow-destructive: also drop tables, enums and schemas no entity describes')
    .option('--recreate-views', 'drop and re-create (from the catalog) the views no entity describes that read a column or table the plan changes')
    .option('--batch-size <rows>', 'at most this many rows per backfill batch', '5000')
    .option('--batch-time <duration>', 'size each backfill batch to hold its row locks about this long (0: fixed --batch-size batches)', '50ms')
    .option('--skip-data-checks', 'live mode: write the plan although today\'s data would make a step fail (pgshift up checks again)')
    .option('--lock-timeout <duration>', 'lock_timeout set at the top of every transactional file', '2s')
    .option('--statement-timeout <duration>', 'statement_timeout set at the top of every transactional file', '60s');
}

export function resolveConfigPath(config: string): string {
  const path = resolve(config);
  if (!existsSync(path)) {
    throw new PgshiftError('CONFIG', `config file not found: ${config}`, {
      hint: 'run pgshift from your project root, or pass -c path/to/ormconfig.ts (a module exporting your TypeORM DataSource)',
    });
  }
  return path;
}
