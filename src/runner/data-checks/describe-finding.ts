/**
 * A finding in words: what is wrong, how many rows, a few sample keys, and what would have happened.
 * Shared by `gen diff` (plan time) and `up` (right before the step), so both say the same thing.
 */
import type { QualifiedName } from '../../model/schema';
import type { Finding, Sample } from './run-checks';

const show = (t: QualifiedName) => (t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);
const n = (count: number) => count.toLocaleString('en-US');
const rows = (count: number) => `${n(count)} row${count === 1 ? '' : 's'}`;

function keyWord(finding: Finding): string {
  const pk = finding.check.primaryKey;
  return pk.length === 0 ? 'ctid' : pk.length === 1 ? pk[0]! : `(${pk.join(', ')})`;
}

function samples(finding: Finding, one: (s: Sample) => string, only?: (s: Sample) => boolean): string {
  const chosen = finding.samples.filter(only ?? (() => true));
  return chosen.length === 0 ? '' : `, e.g. ${chosen.map(one).join('; ')}`;
}

/** One line per finding that refuses (or, for accepted narrowing changes, informs). */
export function describeFinding(finding: Finding): string {
  const c = finding.check;
  switch (c.kind) {
    case 'unique':
      return `${show(c.table)}: ${n(finding.refusing)} value${finding.refusing === 1 ? '' : 's'} of (${c.keys.join(', ')}) occur more than once (${rows(finding.rows)})` +
        `${samples(finding, (s) => `${s.key} ×${s.value}`)}: the unique index ${c.index} cannot be built`;
    case 'not-null':
      return `${show(c.table)}.${c.column}: ${rows(finding.refusing)} hold NULL${samples(finding, (s) => `${keyWord(finding)} ${s.key}`)}: NOT NULL cannot be validated`;
    case 'foreign-key':
      return `${show(c.table)} (${c.columns.join(', ')}): ${rows(finding.refusing)} point at no ${show(c.referencedTable)} row` +
        `${samples(finding, (s) => `${keyWord(finding)} ${s.key} → ${s.value}`)}: ${c.constraint} cannot be validated`;
    case 'check':
      return `${show(c.table)}: ${rows(finding.refusing)} violate ${c.constraint} (${c.expression})${samples(finding, (s) => `${keyWord(finding)} ${s.key}`)}: the check cannot be validated`;
    case 'narrowing': {
      const parts: string[] = [];
      if (finding.failing > 0) {
        parts.push(`${rows(finding.failing)} do not convert to ${c.to.sql}` +
          samples(finding, (s) => `${keyWord(finding)} ${s.key} = ${s.value}${s.error ? ` (${s.error})` : ''}`, (s) => s.failing));
      }
      if (finding.changed > 0) {
        parts.push(`${rows(finding.changed)} would be changed by the conversion (rounded or shortened)${c.changesAccepted ? ', accepted with --allow-destructive' : ''}` +
          samples(finding, (s) => `${keyWord(finding)} ${s.key} = ${s.value}`, (s) => !s.failing));
      }
      return `${show(c.table)}.${c.column} → ${c.to.sql}: ${parts.join('; ')}`;
    }
  }
}

/** Findings that stop the step: at least one row breaks the fact. */
export function refusingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.refusing > 0);
}
