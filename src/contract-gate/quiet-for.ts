/** `--quiet-for 24h`: how long the old shape must have gone unused before its contract may run. */
import { InvalidArgumentError } from 'commander';

export const DEFAULT_QUIET_FOR = '24h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0`, `500ms`, `30s`, `15m`, `24h`, `7d` → milliseconds; anything else is a usage error. */
export function parseQuietFor(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match || (match[2] === undefined && Number(match[1]) !== 0)) {
    throw new InvalidArgumentError('expected a duration such as 24h, 90m, 30s or 0');
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}

/** 93784000 → `1d 2h`, 5400000 → `1h 30m`, 4000 → `4s`: for evidence lines. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const parts: [number, string][] = [[Math.floor(s / 86400), 'd'], [Math.floor((s % 86400) / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2).map(([n, u]) => `${n}${u}`);
  return shown.length > 0 ? shown.join(' ') : '0s';
}
