import type { Command } from 'commander';
import { registerCheck } from './check';
import { registerGen } from './gen';
import { registerPlan } from './plan';

/** Every command registers itself on the program. Order is the order `--help` lists them in. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerGen, registerPlan, registerCheck];
