/** "Did you mean …?": the candidates nearest to a mistyped name, by edit distance. */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Up to `limit` candidates close enough to `name` to be what was meant (case-insensitive; within a third
 * of the name's length, at least 2 edits), nearest first, ties by name.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= allowed)
    .sort((x, y) => x.distance - y.distance || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/**
 * "did you mean <flag>?" for the candidates closest to `name` (each shown as `flag(candidate)`), or the
 * list of candidates (`what`) when none is close.
 */
export function meantHint(name: string, candidates: readonly string[], flag: (candidate: string) => string, what: string): string {
  const close = closestNames(name, candidates);
  if (close.length > 0) return `did you mean ${close.map(flag).join(' or ')}?`;
  if (candidates.length === 0) return `there are no ${what}`;
  const listed = candidates.slice(0, 8).join(', ');
  return `${what}: ${listed}${candidates.length > 8 ? `, … (${candidates.length} in all)` : ''}`;
}
