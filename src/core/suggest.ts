/** "Did you mean" suggestions for misspelt keys, stage names, built-ins and interpolation paths. */

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Candidates within edit distance 2, or that start with `name`: only the closest ones (at most 3). */
export function closeMatches(name: string, candidates: Iterable<string>): string[] {
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const distance = levenshtein(name, candidate);
    const isPrefix = name.length > 0 && candidate.startsWith(name);
    if (distance <= 2 || isPrefix) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  const best = scored[0]?.distance;
  return scored.filter((s) => s.distance === best).slice(0, 3).map((s) => s.candidate);
}

/** `did you mean "deps"?` / `did you mean "a" or "b"?`, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const matches = closeMatches(name, candidates).map((m) => `"${m}"`);
  if (matches.length === 0) return undefined;
  const last = matches.pop();
  return `did you mean ${matches.length > 0 ? `${matches.join(', ')} or ${last}` : last}?`;
}
