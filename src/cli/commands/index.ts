import type { Command } from 'commander';
import { registerBaseline } from './baseline';
import { registerCheck } from './check';
import { downCommand } from './down';
import { forceCommand } from './force';
import { registerGen } from './gen';
import { gotoCommand } from './goto';
import { registerPlan } from './plan';
import { registerRebase } from './rebase';
import { statusCommand } from './status';
import { registerSync } from './sync';
import { upCommand } from './up';
import { versionCommand } from './version';

/** Every command registers itself on the program. Order is the order `--help` lists them in. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  registerGen,
  registerPlan,
  registerCheck,
  registerBaseline,
  registerRebase,
  registerSync,
  upCommand,
  downCommand,
  gotoCommand,
  versionCommand,
  forceCommand,
  statusCommand,
];
