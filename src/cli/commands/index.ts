import type { Command } from 'commander';

/** Every command registers itself on the program. Order is the order `--help` lists them in. */
export const commands: ReadonlyArray<(program: Command) => void> = [];
