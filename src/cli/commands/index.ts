import type { Command } from 'commander';
import { upCommand } from './up';
import { downCommand } from './down';
import { gotoCommand } from './goto';
import { versionCommand } from './version';
import { forceCommand } from './force';
import { statusCommand } from './status';

/** Every command registers itself on the program. Order is the order `--help` lists them in. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  upCommand,
  downCommand,
  gotoCommand,
  versionCommand,
  forceCommand,
  statusCommand,
];
