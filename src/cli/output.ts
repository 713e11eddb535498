/** Terminal output helpers: color only when stdout/stderr is a TTY and NO_COLOR is unset. */
import { redactKnownSecrets } from '../errors';

const useColor = (): boolean => Boolean(process.stderr.isTTY && process.stdout.isTTY) && !process.env.NO_COLOR;

function wrap(open: number, close: number) {
  return (text: string) => (useColor() ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

export const paint = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

let verbose = false;
export function setVerbose(on: boolean): void { verbose = on; }
export function debug(message: string): void {
  if (verbose) process.stderr.write(`${paint.dim(redactKnownSecrets(message))}\n`);
}

export function out(...lines: string[]): void {
  // Known passwords are hidden in every line, whatever it came from (a server message, a plan's SQL).
  process.stdout.write(`${redactKnownSecrets((lines.length === 0 ? [''] : lines).join('\n'))}\n`);
}
