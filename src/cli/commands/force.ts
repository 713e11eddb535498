/** `pgshift force V`: set the version to V and clear the dirty flag, running nothing (-1: no version). */
import type { Command } from 'commander';
import { forceVersion } from '../../runner/runner';
import { out, paint } from '../output';
import { runAction } from '../run-action';
import { addConnectionOptions, parseVersion, requireDatabaseUrl, showVersion, type ConnectionFlags } from './runner-shared';

export function forceCommand(program: Command): void {
  const command = program
    .command('force')
    .description('set the version without running anything and clear the dirty flag (after fixing a failed migration by hand)')
    .argument('<V>', 'the version the database really is at (-1: none)', parseVersion);
  command.addHelpText('after', `
Examples:
  $ pgshift status                  # see which version is dirty and why
  $ pgshift force 6                 # after fixing by hand what migration 7 left half done
  $ pgshift force 7                 # or, if you completed migration 7 by hand

Runs nothing: it only writes the version and clears the dirty flag (golang-migrate's \`migrate force\`).`);
  addConnectionOptions(command).action(
    runAction(async (version: number, flags: ConnectionFlags) => {
      const result = await forceVersion({ databaseUrl: requireDatabaseUrl(flags), dir: flags.dir }, version);
      const was = `${showVersion(result.from.version)}${result.from.dirty ? ', dirty' : ''}`;
      out(`forced version ${showVersion(version)} (was ${was})`);
      if (!result.inFolder) process.stderr.write(`${paint.yellow('warning:')} version ${version} has no file in ${flags.dir}\n`);
    }),
  );
}
