/** `pgshift up [N]`: apply all pending migrations, or the next N. */
import type { Command } from 'commander';
import { migrate } from '../../runner/runner';
import { out, paint } from '../output';
import { runAction } from '../run-action';
import { addRunOptions, createRenderer, parseCount, runnerOptionsFrom, showVersion, withInterrupt, type RunFlags } from './runner-shared';

export function upCommand(program: Command): void {
  const command = program
    .command('up')
    .description('apply pending migrations (golang-migrate compatible: schema_migrations, dirty flag, advisory lock)')
    .argument('[N]', 'apply only the next N migrations', parseCount);
  command.addHelpText('after', `
Examples:
  $ pgshift up --database-url $DATABASE_URL          # apply everything pending
  $ pgshift up 1                                     # only the next migration (DATABASE_URL from the env)
  $ pgshift up --lock-timeout 5s --lock-retries 10   # a busier database

Each file runs as golang-migrate runs it (one query; a lone CONCURRENTLY or committing backfill outside
a transaction). A transactional file commits together with its version: a failure leaves the database
clean at the previous version. Only a run killed during a step outside a transaction leaves it dirty;
the next \`pgshift up\` finishes an index build or backfill it can judge, and otherwise says which version
to \`pgshift force\`.
A file whose header says \`-- planned for PostgreSQL N+\` is refused, before anything runs, on an older server.`);
  addRunOptions(command).action(
    runAction(async (limit: number | undefined, flags: RunFlags) => {
      const result = await withInterrupt((signal) => migrate(runnerOptionsFrom(flags, createRenderer(), signal), { kind: 'up', limit: limit ?? null }));
      if (result.steps.length === 0) {
        out(`no pending migrations; the database is at version ${showVersion(result.to.version)}`);
      } else {
        out(`applied ${result.steps.length} migration${result.steps.length === 1 ? '' : 's'}; the database is at version ${showVersion(result.to.version)}`);
      }
      if (result.shortBy > 0) out(paint.yellow(`asked for ${limit}, but only ${result.steps.length} ${result.steps.length === 1 ? 'was' : 'were'} pending`));
    }),
  );
}
