/** `pgshift plan`: the same plan as `gen diff --dry-run`, as a table, markdown (for a PR comment) or JSON. */
import { Command, Option } from 'commander';
import { runAction } from '../run-action';
import { addDecisionOptions, addSourceOptions } from '../shared-options';
import { genDiff, type GenOptions } from './gen';

export function registerPlan(program: Command): void {
  const plan = program
    .command('plan [name]')
    .description('print the plan gen diff would write (same as gen diff --dry-run)')
    .option('--json', 'print the plan as JSON')
    .addOption(new Option('--format <format>', 'text (table + SQL), markdown (PR comment) or json').choices(['text', 'markdown', 'json']).default('text'));
  addSourceOptions(plan);
  addDecisionOptions(plan);
  plan.addHelpText('after', `
Examples:
  $ pgshift plan                                  # table of files, phases and locks, then the SQL
  $ pgshift plan --format markdown > plan.md      # for a pull-request comment
  $ pgshift plan --json --database-url $DATABASE_URL
  $ pgshift plan --target-version 18              # use PostgreSQL 18's forms (default: portable 13+)`);
  plan.action(runAction((name: string | undefined, options: GenOptions) => genDiff(name, options, 'plan')));
}
