/** `pgshift status`: applied, pending, edited and missing migrations; exit 1 on edited/missing or dirty. */
import type { Command } from 'commander';
import { EXIT } from '../../errors';
import { migrationStatus } from '../../runner/runner';
import type { MigrationState } from '../../runner/status';
import { out, paint } from '../output';
import { runAction } from '../run-action';
import { contractEvidenceReport, pendingContractFileIds } from './contract-gate-cli';
import { DEFAULT_QUIET_FOR, parseQuietFor } from '../../contract-gate/quiet-for';
import { readPendingContracts } from '../../emit/contract-file';
import { readMigrationsDir, type MigrationFile } from '../../migrations-dir/files';
import { pendingDataCheckLines } from '../pending-data-checks';
import { addFleetOptions, isFleet } from './fleet-shared';
import { statusFleetCommand, type StatusFleetFlags } from './status-fleet';
import { addConnectionOptions, describeDatabase, requireDatabaseUrl, showVersion, type ConnectionFlags } from './runner-shared';

const LABEL: Record<MigrationState, string> = {
  applied: paint.green('applied'),
  'checksum-unknown': 'applied (checksum unknown)',
  edited: paint.red('EDITED since applied'),
  missing: paint.red('MISSING from the folder'),
  dirty: paint.red('DIRTY: interrupted'),
  pending: paint.yellow('pending'),
};

/** The up files not applied yet, in version order. */
function pendingUpFiles(dir: string, entries: readonly { version: number; state: MigrationState }[]): MigrationFile[] {
  const pendingVersions = new Set(entries.filter((e) => e.state === 'pending').map((e) => e.version));
  return readMigrationsDir(dir).filter((m) => pendingVersions.has(m.version) && m.up).map((m) => m.up!).sort((a, b) => a.version - b.version);
}

/** Contracts still to run here: recorded ones, and those of contract files not applied yet. */
function pendingContractIds(dir: string, pending: readonly MigrationFile[]): string[] {
  return [...new Set([...readPendingContracts(dir).map((c) => c.id), ...pendingContractFileIds(pending)])];
}

export function statusCommand(program: Command): void {
  const command = program.command('status').description('list applied, pending, edited and missing migrations');
  command.addHelpText('after', `
Examples:
  $ pgshift status --database-url $DATABASE_URL

Exits 1 when the database is dirty, or when an applied file was edited or is missing (checksums are kept
in pgshift_migrations; a database migrated by golang-migrate alone shows "checksum unknown"). A dirty version is explained in
one line: either \`pgshift up\` finishes it, or which version to \`force\` in which case.
The data checks of pending files (duplicates, NULLs, orphans, CHECK violations, values a narrowing would
change) are listed with the rows that break them now, so a refusal shows before \`pgshift up\`.
With --fleet (or --fleet-query): one line per target and the version skew across the fleet.
  $ pgshift status --fleet tenants.txt`);
  addFleetOptions(addConnectionOptions(command)).option('--json', 'with --fleet: print the fleet status as JSON')
    .option('--quiet-for <duration>', 'how long an old shape must have gone unused to count as quiet (contract evidence)', parseQuietFor, parseQuietFor(DEFAULT_QUIET_FOR)).action(
    runAction(async (flags: ConnectionFlags & StatusFleetFlags & { quietFor: number }) => {
      if (isFleet(flags)) return statusFleetCommand(flags);
      const url = requireDatabaseUrl(flags);
      const status = await migrationStatus({ databaseUrl: url, dir: flags.dir });
      const { version } = status;
      out(`${describeDatabase(url)}: version ${showVersion(version.version)}${version.dirty ? paint.red(' (dirty)') : ''}`);
      if (status.lockHolder) out(paint.yellow(`a migration run holds the lock right now: ${status.lockHolder}`));
      const width = Math.max(0, ...status.entries.map((e) => e.name.length));
      for (const entry of status.entries) {
        const when = entry.appliedAt ? paint.dim(`  ${entry.appliedAt.toISOString().replace('T', ' ').slice(0, 19)}`) : '';
        out(`  ${entry.name.padEnd(width)}  ${LABEL[entry.state]}${when}`);
      }
      if (status.entries.length === 0) out(`  no migrations in ${flags.dir}`);
      const pending = status.entries.filter((e) => e.state === 'pending').length;
      if (pending > 0) out(`${pending} pending`);
      const pendingFiles = pendingUpFiles(flags.dir, status.entries);
      for (const line of await pendingDataCheckLines(url, pendingFiles)) out(line);
      for (const line of await contractEvidenceReport(url, pendingContractIds(flags.dir, pendingFiles), flags.quietFor)) out(line);
      if (status.problems.length > 0) {
        process.stderr.write(`${paint.red('error:')} ${status.problems.length} applied migration${status.problems.length === 1 ? ' was' : 's were'} edited or removed\n`);
        process.stderr.write(`${paint.dim('hint:')} restore them (git checkout) and put changes in a new migration; \`pgshift up\` refuses to go on without --allow-edited\n`);
      }
      if (version.dirty && !status.lockHolder) {
        process.stderr.write(`${paint.red('error:')} the database is dirty at version ${showVersion(version.version)}: ${status.dirtyExplained}\n`);
      }
      return status.problems.length > 0 || (version.dirty && !status.lockHolder) ? EXIT.error : EXIT.ok;
    }),
  );
}
