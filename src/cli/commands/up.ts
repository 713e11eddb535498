/** `pgshift up [N]`: apply all pending migrations, or the next N. */
import type { Command } from 'commander';
import { migrate } from '../../runner/runner';
import { out, paint } from '../output';
import { runAction } from '../run-action';
import { addUpFleetOptions, upFleetCommand, type UpFleetFlags } from './up-fleet';
import { isFleet } from './fleet-shared';
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
A file whose header says \`-- planned for PostgreSQL N+\` is refused, before anything runs, on an older server.

Fleets (database- or schema-per-tenant): every target runs as its own \`up\` (its own schema_migrations,
checksums and lock), so a second run converges. A golang-migrate URL's search_path is honoured.
  $ pgshift up --fleet tenants.txt --concurrency 8 --canary 2 --report report.json
  $ pgshift up --fleet-query "SELECT id, url FROM tenants" --database-url $CONTROL_DB
  $ pgshift up --fleet tenants.txt --shard "$((JOB_COMPLETION_INDEX + 1))/10"   # one pod of an indexed Job`);
  addUpFleetOptions(addRunOptions(command, { forward: true })).action(
    runAction(async (limit: number | undefined, flags: RunFlags & UpFleetFlags) => {
      if (isFleet(flags)) return upFleetCommand(limit, flags);
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
