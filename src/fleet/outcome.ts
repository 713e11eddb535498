/** What happened on one target, as the report and the CLI show it. Never holds a password. */
import { PgshiftError, redactSecrets } from '../errors';

export type TargetOutcomeKind = 'applied' | 'up-to-date' | 'failed' | 'skipped';

export interface TargetOutcome {
  readonly id: string;
  /** The target's URL with its password replaced. */
  readonly target: string;
  readonly outcome: TargetOutcomeKind;
  /** -1: no version; null: unknown (unreachable, or never started). */
  readonly versionBefore: number | null;
  readonly versionAfter: number | null;
  readonly dirty: boolean | null;
  readonly applied: readonly number[];
  readonly durationMs: number | null;
  readonly error: string | null;
  readonly hint: string | null;
}

export function describeFailure(error: unknown): { error: string; hint: string | null } {
  if (error instanceof PgshiftError) return { error: error.message, hint: error.hint ?? null };
  const text = error instanceof Error ? error.message : String(error);
  return { error: redactSecrets(text), hint: null };
}

export function skippedOutcome(id: string, url: string, reason: string): TargetOutcome {
  return {
    id, target: redactSecrets(url), outcome: 'skipped', versionBefore: null, versionAfter: null, dirty: null,
    applied: [], durationMs: null, error: reason, hint: null,
  };
}
