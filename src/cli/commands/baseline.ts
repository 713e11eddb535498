/**
 * `pgshift baseline`: adopt a database built by TypeORM's synchronize, TypeORM migrations or by hand.
 * Writes one pair that creates what the entities describe as the database has it, and records it as
 * applied there without running it.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { readState } from '../../pipeline/generate';
import { declaredTarget, planTarget } from '../../pipeline/target-version';
import { baselineStep, restrictToEntities, type LeftOut } from '../../pipeline/baseline';
import { connect, resolveDatabaseUrl } from '../../db/connect';
import { planFiles } from '../../emit/plan-files';
import { writeAllOrNothing } from '../../emit/write-files';
import { loadDataSource, mapMetadataToModel } from '../../entity-loader';
import { EXIT, PgshiftError } from '../../errors';
import { latestVersion, readMigrationsDir } from '../../migrations-dir/files';
import { diffModels } from '../../diff/diff';
import { displayName } from '../../model/schema';
import { DEFAULT_TIMEOUTS } from '../../planner/step';
import { checksumOf } from '../../runner/checksum';
import { assertNotTracked, recordBaseline } from '../../runner/record-baseline';
import { readTypeormMigrations, type TypeormMigrationsTable } from '../../db/typeorm-migrations';
import { out } from '../output';
import { differenceLines } from '../plan-output';
import { runAction } from '../run-action';
import { addSourceOptions, resolveConfigPath, type SourceOptions } from '../shared-options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION = (require('../../../package.json') as { version: string }).version;

function leftOutName(item: LeftOut): string {
  if (item.kind === 'foreign key') return `foreign key ${item.name} on ${displayName(item.table)} → ${displayName(item.references)}`;
  return `${item.kind} ${typeof item.name === 'string' ? item.name : displayName(item.name)}`;
}

function describeLeftOut(item: LeftOut, typeorm: TypeormMigrationsTable | null): string {
  if (typeorm && item.kind === 'table' && item.name.schema === typeorm.schema && item.name.name === typeorm.name) {
    return `${leftOutName(item)} (TypeORM's migrations table, ${typeorm.applied} applied; left alone)`;
  }
  return leftOutName(item);
}

async function baseline(options: SourceOptions): Promise<number> {
  const url = resolveDatabaseUrl(options.databaseUrl);
  if (!url) throw new PgshiftError('USAGE', 'baseline needs the database to adopt', { hint: 'pass --database-url postgres://… or set DATABASE_URL' });
  const configPath = resolveConfigPath(options.config);
  const dir = resolve(options.dir);
  // Adopting is how a project starts: baseline creates the folder it writes into.
  const migrations = readMigrationsDir(dir, { missingIsEmpty: true });
  // A bad target value fails before the database is touched.
  const declared = declaredTarget({ flag: options.targetVersion, configPath });
  await assertNotTracked(url);
  const { dataSource } = await loadDataSource(configPath);
  const entities = mapMetadataToModel(dataSource);
  const migrationsTableName = (dataSource.options as { migrationsTableName?: string }).migrationsTableName ?? 'migrations';

  const client = await connect(url);
  let read;
  let typeorm: TypeormMigrationsTable | null;
  try {
    read = await readState(client, entities);
    typeorm = await readTypeormMigrations(client, migrationsTableName);
  } finally {
    await client.end().catch(() => undefined);
  }
  const { model, leftOut } = restrictToEntities(read.current, read.desired);
  const target = planTarget(declared, read.serverVersion);
  const step = baselineStep(model, target.major);
  const [files] = planFiles([step], {
    dir, latestVersion: latestVersion(migrations), timeouts: DEFAULT_TIMEOUTS, rowEstimates: new Map(), toolVersion: TOOL_VERSION, targetMajor: target.major,
  });
  const pair = files!;
  await recordBaseline(url, { version: pair.version, fileName: `${pair.base}.up.sql`, checksum: checksumOf(Buffer.from(pair.up.content)) }, () => writeAllOrNothing([pair.up, pair.down]));

  out(`Wrote ${options.dir}/${pair.base}.up.sql / .down.sql and recorded version ${pair.version} as applied (the file was not run).`);
  out(`  creates ${model.tables.length} table(s), ${model.enums.length} enum(s) as the database has them`);
  if (leftOut.length > 0) out(`Left out (not described by any entity; left alone in the database): ${leftOut.map((l) => describeLeftOut(l, typeorm)).join(', ')}`);
  if (typeorm) out(`TypeORM's ${typeorm.name} table was recognised and left alone: from now on deploy with \`pgshift up\` (or golang-migrate).`);
  const drift = diffModels(model, read.desired).changes;
  if (drift.length > 0) {
    out(`${drift.length} difference(s) remain between the entities and the database; \`pgshift gen diff\` plans them next:`);
    for (const line of differenceLines(drift)) out(line);
  }
  return EXIT.ok;
}

export function registerBaseline(program: Command): void {
  const command = program
    .command('baseline')
    .description('adopt an existing database: write a baseline migration and record it as applied there');
  addSourceOptions(command);
  command.addHelpText('after', `
For a database built by TypeORM's synchronize, by TypeORM migrations or by hand. Writes one pair
(000001_baseline.up.sql / .down.sql, or the next free version) that creates the tables, enums and
schemas the entities describe as the database has them, and records that version as applied in
schema_migrations and pgshift_migrations without running it. Nothing else in the database changes.
Tables no entity describes (and TypeORM's migrations table) are listed and left alone.
Refuses a database that golang-migrate or pgshift already tracks.

Examples:
  $ pgshift baseline --database-url $DATABASE_URL
  $ pgshift baseline -c src/ormconfig.ts -d db/migrations --database-url $DATABASE_URL`);
  command.action(runAction((options: SourceOptions) => baseline(options)));
}
