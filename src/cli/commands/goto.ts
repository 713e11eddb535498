/** `pgshift goto V`: migrate up or down to version V. */
import type { Command } from 'commander';
import { migrate } from '../../runner/runner';
import { out } from '../output';
import { runAction } from '../run-action';
import { addRunOptions, createRenderer, parseVersion, runnerOptionsFrom, showVersion, withInterrupt, type RunFlags } from './runner-shared';

export function gotoCommand(program: Command): void {
  const command = program
    .command('goto')
    .description('migrate up or down to version V')
    .argument('<V>', 'the version to end at (it must have a file)', parseVersion);
  command.addHelpText('after', `
Examples:
  $ pgshift goto 5 --database-url $DATABASE_URL   # up or down until the database is at version 5`);
  addRunOptions(command, { forward: true }).action(
    runAction(async (version: number, flags: RunFlags) => {
      const result = await withInterrupt((signal) => migrate(runnerOptionsFrom(flags, createRenderer(), signal), { kind: 'goto', version }));
      out(result.steps.length === 0
        ? `already at version ${showVersion(result.to.version)}`
        : `ran ${result.steps.length} migration${result.steps.length === 1 ? '' : 's'}; the database is at version ${showVersion(result.to.version)}`);
    }),
  );
}
