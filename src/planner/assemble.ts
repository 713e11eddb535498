/**
 * Fragments → steps (files). Fragments are ordered by stage (stable: the diff's dependency order holds
 * inside a stage); neighbours that are mergeable, transactional and alike in stage, phase and content
 * share one file. Everything else gets a file of its own.
 */
import type { Fragment } from './fragment';
import { uniquePrechecks } from './precheck';
import type { Step } from './step';

function canMerge(group: readonly Fragment[], next: Fragment): boolean {
  const first = group[0]!;
  return (
    first.mergeable && next.mergeable && first.transactional && next.transactional &&
    first.stage === next.stage && first.phase === next.phase && first.content === next.content
  );
}

/** One fragment: its slug. Several: the shared verb (or `change`) and the tables they touch. */
function groupSlug(group: readonly Fragment[]): string {
  if (group.length === 1) return group[0]!.slug;
  const verbs = new Set(group.map((f) => f.slug.split('_')[0]));
  const tables = [...new Set(group.flatMap((f) => f.up.flatMap((s) => (s.table ? [s.table.name] : []))))];
  const verb = verbs.size === 1 ? [...verbs][0]! : 'change';
  const slug = tables.length > 0 ? `${verb}_${tables.join('_')}` : `${group[0]!.slug}_and_${group.length - 1}_more`;
  return slug.slice(0, 60).replace(/_+$/, '');
}

function toStep(group: readonly Fragment[]): Step {
  const first = group[0]!;
  const whys = [...new Set(group.map((f) => f.why))];
  const downNotes = group.map((f) => f.downNote).filter((n): n is string => Boolean(n));
  const prechecks = uniquePrechecks(group.flatMap((f) => f.prechecks ?? []));
  const contracts = [...new Set(group.map((f) => f.contract).filter((c): c is string => c !== undefined))];
  return {
    slug: groupSlug(group),
    phase: first.phase,
    content: first.content,
    transactional: first.transactional,
    summary: group.map((f) => f.summary).join('; '),
    why: whys.join('; '),
    up: group.flatMap((f) => f.up),
    // Undo in reverse order: the last fragment's effects are undone first.
    down: [...group].reverse().flatMap((f) => f.down),
    ...(downNotes.length > 0 ? { downNote: downNotes.join(' ') } : {}),
    ...(prechecks.length > 0 ? { prechecks } : {}),
    ...(contracts.length > 0 ? { contracts } : {}),
  };
}

export function assembleSteps(fragments: readonly Fragment[]): Step[] {
  const ordered = fragments
    .map((fragment, position) => ({ fragment, position }))
    .sort((a, b) => a.fragment.stage - b.fragment.stage || a.position - b.position)
    .map(({ fragment }) => fragment);
  const groups: Fragment[][] = [];
  for (const fragment of ordered) {
    const current = groups[groups.length - 1];
    if (current && canMerge(current, fragment)) current.push(fragment);
    else groups.push([fragment]);
  }
  return groups.map(toStep);
}
