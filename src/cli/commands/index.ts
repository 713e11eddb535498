/**
 * Every command registers itself on the program. Order is the order `--help` lists them in.
 *
 * Each is loaded only when needed (`require` on first use): a run of `pgshift gen diff` then never
 * loads the runner's or sync's modules, which start-up would otherwise pay for on every command.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandModule {
  /** The command's name on the command line. */
  readonly name: string;
  readonly load: () => Register;
}

export const commandModules: readonly CommandModule[] = [
  { name: 'gen', load: () => (require('./gen') as typeof import('./gen')).registerGen },
  { name: 'plan', load: () => (require('./plan') as typeof import('./plan')).registerPlan },
  { name: 'check', load: () => (require('./check') as typeof import('./check')).registerCheck },
  { name: 'baseline', load: () => (require('./baseline') as typeof import('./baseline')).registerBaseline },
  { name: 'rebase', load: () => (require('./rebase') as typeof import('./rebase')).registerRebase },
  { name: 'sync', load: () => (require('./sync') as typeof import('./sync')).registerSync },
  { name: 'up', load: () => (require('./up') as typeof import('./up')).upCommand },
  { name: 'down', load: () => (require('./down') as typeof import('./down')).downCommand },
  { name: 'goto', load: () => (require('./goto') as typeof import('./goto')).gotoCommand },
  { name: 'version', load: () => (require('./version') as typeof import('./version')).versionCommand },
  { name: 'force', load: () => (require('./force') as typeof import('./force')).forceCommand },
  { name: 'status', load: () => (require('./status') as typeof import('./status')).statusCommand },
];

/**
 * The commands a command line needs: only the one it names (its first word that is not an option),
 * or all of them when it names none or an unknown one — for the root help, `help <command>` and
 * commander's "did you mean" suggestions, which list every command.
 */
export function commandsFor(argv: readonly string[]): Register[] {
  const word = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const named = commandModules.find((command) => command.name === word);
  return (named ? [named] : commandModules).map((command) => command.load());
}
