/** `pgshift check`: exit 0 when entities and database agree, 2 when they differ (CI drift check). */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { resolveDatabaseUrl } from '../../db/connect';
import { EXIT } from '../../errors';
import { NO_DECISIONS } from '../../planner/decisions';
import { generate } from '../../pipeline/generate';
import { resolveMigrationsFormat } from '../../pipeline/migrations-format';
import { out } from '../output';
import { differenceLines, pendingLines, unmanagedLines } from '../plan-output';
import { runAction } from '../run-action';
import { reportFolderProblems } from './check-folder';
import { contractEvidenceReport } from './contract-gate-cli';
import { DEFAULT_QUIET_FOR, parseQuietFor } from '../../contract-gate/quiet-for';
import { addSourceOptions, resolveConfigPath, resolveShadowUrl, type SourceOptions } from '../shared-options';

async function check(options: SourceOptions & { quietFor: number }): Promise<number> {
  const configPath = resolveConfigPath(options.config);
  const dir = resolve(options.dir);
  const format = resolveMigrationsFormat({ configPath, dir });
  // Version clashes between branches are a golang-migrate folder's problem; TypeORM orders by timestamp.
  if (format === 'sql' && await reportFolderProblems(dir, resolveDatabaseUrl(options.databaseUrl))) return EXIT.differences;
  const result = await generate({
    configPath,
    dir,
    format,
    databaseUrl: resolveDatabaseUrl(options.databaseUrl),
    targetVersion: options.targetVersion,
    shadowUrl: resolveShadowUrl(options.shadowUrl),
    decisions: NO_DECISIONS,
  });
  for (const note of result.notes) out(note);
  const liveUrl = result.mode === 'live' ? resolveDatabaseUrl(options.databaseUrl) : undefined;
  const evidence = liveUrl ? await contractEvidenceReport(liveUrl, result.pendingContracts.map((c) => c.id), options.quietFor) : [];
  const notes = [...unmanagedLines(result.unmanaged), ...pendingLines(result), ...evidence];
  if (result.changes.length === 0) {
    out(`In sync: the ${result.mode === 'live' ? 'database' : 'migrations folder'} matches the entities.`);
    for (const note of notes) out(note);
    return EXIT.ok;
  }
  out(`${result.changes.length} difference${result.changes.length === 1 ? '' : 's'} between the entities and the ${result.mode === 'live' ? 'database' : 'migrations folder'}:`);
  for (const line of differenceLines(result.changes)) out(line);
  for (const note of notes) out(note);
  out('Run `pgshift gen diff` to write the migrations.');
  return EXIT.differences;
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('exit 0 when the entities and the database agree, 2 when they differ');
  addSourceOptions(command);
  command.option('--quiet-for <duration>', 'with --database-url: how long an old shape must have gone unused to count as quiet', parseQuietFor, parseQuietFor(DEFAULT_QUIET_FOR));
  command.addHelpText('after', `
Without --database-url, checks that the migrations folder (replayed on a shadow database) matches the
entities — the CI check that nobody forgot to run gen diff. With it, checks a live database for drift.
Pending contract steps are listed but are not differences; with --database-url each shows what the
database says about its old shape (last write through it, statements still calling it).

Examples:
  $ pgshift check                                 # in CI: did someone forget gen diff?
  $ pgshift check --database-url $DATABASE_URL    # has production drifted from the entities?
  $ pgshift check --shadow-url $CI_POSTGRES_URL   # replay on CI's own server instead of an embedded one`);
  command.action(runAction((options: SourceOptions & { quietFor: number }) => check(options)));
}
