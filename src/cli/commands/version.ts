/** `pgshift version`: the database's migration version (stdout: the number, `none`, or `N (dirty)`). */
import type { Command } from 'commander';
import { EXIT } from '../../errors';
import { databaseVersion } from '../../runner/runner';
import { out, paint } from '../output';
import { runAction } from '../run-action';
import { addConnectionOptions, requireDatabaseUrl, showVersion, type ConnectionFlags } from './runner-shared';

export function versionCommand(program: Command): void {
  const command = program.command('version').description("print the database's migration version (exit 1 when dirty)");
  command.addHelpText('after', `
Examples:
  $ pgshift version --database-url $DATABASE_URL   # prints e.g. 7 (or "7 (dirty)", exit 1)`);
  addConnectionOptions(command).action(
    runAction(async (flags: ConnectionFlags) => {
      const version = await databaseVersion({ databaseUrl: requireDatabaseUrl(flags) });
      if (!version.dirty) {
        out(showVersion(version.version));
        return EXIT.ok;
      }
      out(`${version.version} (dirty)`);
      process.stderr.write(`${paint.yellow('dirty:')} a migration failed or is running; once it is fixed, \`pgshift force V\` with the version the database is at\n`);
      return EXIT.error;
    }),
  );
}
