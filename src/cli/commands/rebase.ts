/** `pgshift rebase [--base REF]`: renumber and re-plan this branch's migrations after the base branch's. */
import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { rebaseMigrations } from '../../branch/rebase';
import { EXIT } from '../../errors';
import { decisionsFromFlags, type DecisionFlags } from '../decision-flags';
import { out, paint } from '../output';
import { needsLines } from '../plan-output';
import { runAction } from '../run-action';
import { addDecisionOptions, resolveConfigPath } from '../shared-options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION = (require('../../../package.json') as { version: string }).version;

interface RebaseFlags extends DecisionFlags { config: string; dir: string; base?: string; dryRun?: boolean; schemaPerTenant?: boolean }

async function rebase(name: string | undefined, flags: RebaseFlags): Promise<number> {
  const { decisions, renameSpecs } = await decisionsFromFlags(flags);
  const dir = resolve(flags.dir);
  const result = await rebaseMigrations({
    dir, configPath: resolveConfigPath(flags.config), base: flags.base, decisions, renameSpecs, name, toolVersion: TOOL_VERSION, dryRun: flags.dryRun, unqualified: Boolean(flags.schemaPerTenant),
  });
  if (result.needs.length > 0) {
    process.stderr.write(`${needsLines(result.needs).join('\n')}\n\nNothing was written.\n`);
    return EXIT.decision;
  }
  if (result.removed.length === 0) {
    out(`Nothing to rebase: every migration in ${flags.dir} is on ${result.base}.`);
    return EXIT.ok;
  }
  if (result.unchanged) {
    out(`Already rebased: this branch's migrations follow ${result.base}'s version ${result.baseNewest ?? 'none'} and match its schema; nothing changed.`);
    return EXIT.ok;
  }
  const verb = flags.dryRun ? 'Would replace' : 'Replaced';
  out(`${verb} this branch's ${result.removed.length} file(s) with ${result.written.length} migration pair(s) after ${result.base}'s version ${result.baseNewest ?? 'none'}:`);
  for (const f of result.written) out(`  ${relative(dir, f.up.path).replace(/\.up\.sql$/, '')}.up.sql / .down.sql`);
  if (result.contractRecord) out(`  ${result.contractRecord} (pending contract steps)`);
  for (const gone of result.removed) out(paint.dim(`  removed ${gone}`));
  for (const change of result.noLongerApplies) out(paint.yellow(`no longer applies (${result.base} already has it): ${change}`));
  if (result.written.length === 0) out(`${result.base} already has every change this branch's migrations made; nothing new was written.`);
  return EXIT.ok;
}

export function registerRebase(program: Command): void {
  const command = program
    .command('rebase [name]')
    .description("renumber this branch's new migrations after the base branch's and plan them again against its schema")
    .option('-c, --config <path>', 'TypeORM config module that exports the DataSource', 'ormconfig.ts')
    .option('-d, --dir <path>', 'golang-migrate migrations folder', 'migrations')
    .option('--base <ref>', 'the branch (or commit) to rebase onto (default: the upstream, else main)')
    .option('--dry-run', 'say what would change; write nothing')
    .option('--schema-per-tenant', 'write unqualified names (as gen diff --schema-per-tenant)');
  addDecisionOptions(command);
  command.addHelpText('after', `
After merging the base branch into yours (or when \`pgshift check\` reports two migrations with one
version), rebase removes this branch's migration files (those the base ref does not have), replays the
base's folder from git on a shadow database and plans the entities against it: the new files are
numbered after the base's newest and are right for what the base now is. A change the base already
made is reported, not written. The same decision flags as gen diff apply (--rename, --backfill, …).

Examples:
  $ git merge main && pgshift rebase          # then review and commit the renumbered files
  $ pgshift rebase --base origin/release-2 --dry-run`);
  command.action(runAction((name: string | undefined, flags: RebaseFlags) => rebase(name, flags)));
}
