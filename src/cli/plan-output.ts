/** A plan as a reviewer reads it: a table in the terminal, markdown for a PR comment, or JSON. */
import type { StepFiles } from '../emit/plan-files';
import type { Unmanaged } from '../diff/diff';
import type { DecisionRequest } from '../planner/decisions';
import { describeChange } from '../planner/describe';
import { displayName } from '../model/schema';
import type { Step } from '../planner/step';
import type { GenerateResult } from '../pipeline/generate';
import { describeTarget } from '../pipeline/target-version';
import type { Change } from '../diff/change';

export interface PlannedStep {
  readonly step: Step;
  readonly files: StepFiles;
}

function strongestLock(step: Step): string {
  const order = ['ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];
  let best = -1;
  for (const s of step.up) if (s.lock) best = Math.max(best, order.indexOf(s.lock));
  return best < 0 ? '-' : order[best]!;
}

function rows(planned: readonly PlannedStep[]): string[][] {
  return planned.map(({ step, files }) => [
    files.base,
    step.phase,
    step.transactional ? 'tx' : 'no-tx',
    strongestLock(step),
    step.summary.length > 70 ? `${step.summary.slice(0, 67)}...` : step.summary,
  ]);
}

export function planTable(planned: readonly PlannedStep[]): string {
  const header = ['file', 'phase', 'tx', 'strongest lock', 'what'];
  const all = [header, ...rows(planned)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function planMarkdown(planned: readonly PlannedStep[], result: GenerateResult): string {
  const lines = ['## pgshift plan', '', `${planned.length} file pair(s), against the ${result.mode} database (PostgreSQL ${Math.floor(result.serverVersion / 10000)}). ${describeTarget(result.target)}`, ''];
  lines.push('| file | phase | transaction | strongest lock | what |', '|---|---|---|---|---|');
  for (const r of rows(planned)) lines.push(`| \`${r[0]}\` | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]!.replace(/\|/g, '\\|')} |`);
  for (const { files } of planned) {
    lines.push('', `<details><summary><code>${files.base}.up.sql</code></summary>`, '', '```sql', files.up.content.trimEnd(), '```', '</details>');
  }
  return lines.join('\n');
}

export function planJson(planned: readonly PlannedStep[], result: GenerateResult): unknown {
  return {
    mode: result.mode,
    serverVersion: result.serverVersion,
    target: result.target,
    changes: result.changes.map((c) => ({ kind: c.kind, summary: describeChange(c) })),
    steps: planned.map(({ step, files }) => ({
      version: files.version,
      up: files.up.path,
      down: files.down.path,
      phase: step.phase,
      content: step.content,
      transactional: step.transactional,
      summary: step.summary,
      why: step.why,
      statements: step.up.map((s) => ({ sql: s.sql, lock: s.lock, table: s.table && displayName(s.table), duration: s.duration, rewrites: s.rewrites })),
      upSql: files.up.content,
      downSql: files.down.content,
    })),
    pendingContracts: result.plan.contracts.map((c) => ({ id: c.id, summary: c.summary })),
    unmanaged: result.unmanaged,
    timings: result.timings,
  };
}

export function unmanagedLines(unmanaged: readonly Unmanaged[]): string[] {
  if (unmanaged.length === 0) return [];
  const names = unmanaged.map((u) => `${u.kind} ${typeof u.name === 'string' ? u.name : displayName(u.name)}`);
  return [`Not managed by any entity (left alone; --allow-destructive --drop-unmanaged drops them): ${names.join(', ')}`];
}

export function pendingLines(result: GenerateResult): string[] {
  if (result.pendingContracts.length === 0) return [];
  return [
    `Pending contract steps (${result.pendingContracts.length}), emitted by \`pgshift gen diff --contract\` once no deployed code uses the old shape:`,
    ...result.pendingContracts.map((c) => `  - ${c.summary} (expand in ${String(c.expandVersion).padStart(6, '0')})`),
  ];
}

export function needsLines(needs: readonly DecisionRequest[]): string[] {
  const lines = [`pgshift needs ${needs.length === 1 ? 'a decision' : `${needs.length} decisions`} before it writes anything:`];
  for (const need of needs) {
    lines.push('', `  • ${need.reason}`);
    if (need.wouldDo) lines.push(`    With it, pgshift emits: ${need.wouldDo}`);
    lines.push(`    Add: ${need.flag}`);
  }
  return lines;
}

export function differenceLines(changes: readonly Change[]): string[] {
  return changes.map((c) => `  ${describeChange(c)}`);
}
