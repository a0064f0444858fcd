/**
 * "Did you mean ...?" for an unknown column: the names closest to it by edit distance.
 */

/** Levenshtein distance (insertions, deletions, substitutions each cost 1), case-sensitive. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let previous = new Int32Array(n + 1);
  let current = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[n]!;
}

/**
 * The candidates closest to `name`: those equal ignoring case if there are any, else those within an
 * edit distance of 1 (names of up to 3 characters) or max(2, a third of the name's length), nearest
 * first, at most `limit`.
 *
 * @example closeNames("Reacton", ["Reaction", "Days", "Subject"]) // ["Reaction"]
 */
export function closeNames(name: string, candidates: readonly string[], limit = 3): string[] {
  const lower = name.toLowerCase();
  const sameIgnoringCase = candidates.filter((c) => c.toLowerCase() === lower);
  if (sameIgnoringCase.length > 0) return sameIgnoringCase.slice(0, limit);
  const budget = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  const scored: { candidate: string; score: number; index: number }[] = [];
  candidates.forEach((candidate, index) => {
    const score = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase()) + 0.5;
    if (score <= budget + 0.5) scored.push({ candidate, score, index });
  });
  scored.sort((x, y) => x.score - y.score || x.index - y.index);
  return scored.slice(0, limit).map((s) => s.candidate);
}
