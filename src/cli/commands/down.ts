/**
 * `pgshift down [N]`: revert the last N migrations. Without N it reverts *all* of them (golang-migrate's
 * meaning), which drops the whole schema: that takes `--all`, or a typed confirmation on a terminal.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { PgshiftError } from '../../errors';
import { migrate, migrationStatus } from '../../runner/runner';
import { out } from '../output';
import { runAction } from '../run-action';
import {
  addRunOptions, createRenderer, describeDatabase, parseCount, requireDatabaseUrl, runnerOptionsFrom, showVersion, withInterrupt, type RunFlags,
} from './runner-shared';

interface DownFlags extends RunFlags { all?: boolean }

export function downCommand(program: Command): void {
  const command = program
    .command('down')
    .description('revert the last N applied migrations (all of them only with --all or a confirmation)')
    .argument('[N]', 'how many migrations to revert', parseCount)
    .option('--all', 'revert every applied migration (no prompt)');
  command.addHelpText('after', `
Examples:
  $ pgshift down 1 --database-url $DATABASE_URL   # revert the last migration
  $ pgshift down --all                            # revert everything (asks for the database name on a terminal)

A down restores the schema exactly; data a down drops (a column the up added) cannot come back.
Down files carry no data checks and no contract gate (those guard up files), so down has neither
--skip-data-checks nor --quiet-for/--force-contract.`);
  addRunOptions(command, { forward: false }).action(
    runAction(async (limit: number | undefined, flags: DownFlags) => {
      if (limit !== undefined && flags.all) {
        throw new PgshiftError('USAGE', 'pass either a count or --all, not both', { hint: 'e.g. `pgshift down 1` (the newest migration) or `pgshift down --all`' });
      }
      if (limit === undefined && !flags.all) await confirmRevertAll(flags);
      const result = await withInterrupt((signal) => migrate(runnerOptionsFrom(flags, createRenderer(), signal), { kind: 'down', limit: limit ?? null }));
      if (result.steps.length === 0) out(`nothing to revert; the database is at version ${showVersion(result.to.version)}`);
      else out(`reverted ${result.steps.length} migration${result.steps.length === 1 ? '' : 's'}; the database is at version ${showVersion(result.to.version)}`);
    }),
  );
}

async function confirmRevertAll(flags: DownFlags): Promise<void> {
  if (!(process.stdin.isTTY && process.stdout.isTTY)) {
    throw new PgshiftError('USAGE', '`pgshift down` without a count reverts every applied migration', {
      hint: 'pass --all to really do that, or a count such as `pgshift down 1`',
    });
  }
  const url = requireDatabaseUrl(flags);
  const status = await migrationStatus({ databaseUrl: url, dir: flags.dir });
  const applied = status.entries.filter((e) => e.state !== 'pending').length;
  const database = describeDatabase(url);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(
      `This reverts all ${applied} applied migration${applied === 1 ? '' : 's'} of ${database} (version ${showVersion(status.version.version)} → none), ` +
      `running every down file.\nType the database name to go on: `,
    );
    const name = database.slice(database.lastIndexOf('/') + 1);
    if (answer.trim() !== name) throw new PgshiftError('REFUSED', 'not confirmed; nothing was reverted', { hint: 'to revert a few, pass a count: `pgshift down 1`' });
  } finally {
    rl.close();
  }
}
