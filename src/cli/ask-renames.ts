/**
 * At a terminal, "is this a rename?" is a question, not a refusal: the CLI asks, and a yes becomes the
 * same `--rename` value a script would pass. Anything but a terminal gets the refusal and the flag.
 */
import { createInterface } from 'node:readline/promises';
import type { DecisionRequest } from '../planner/decisions';

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env.CI;
}

/** Asks about every rename suggestion; returns the `--rename` values answered with yes. */
export async function askRenames(needs: readonly DecisionRequest[]): Promise<string[]> {
  const questions = needs.filter((n): n is DecisionRequest & { renameSpec: string } => n.renameSpec !== undefined);
  if (questions.length === 0) return [];
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const accepted: string[] = [];
  try {
    for (const need of questions) {
      process.stderr.write(`\n${need.reason}\n`);
      const answer = await rl.question(`Is it a rename (--rename ${need.renameSpec})? [y/N] `);
      if (/^y(es)?$/i.test(answer.trim())) accepted.push(need.renameSpec);
    }
  } finally {
    rl.close();
  }
  return accepted;
}
