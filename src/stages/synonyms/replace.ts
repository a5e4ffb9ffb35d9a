import { randomIndex, sample, type Random } from './seeded-random.js';
import type { AnalysedText } from './synonym-source.js';
import { matchCase, type TextPiece } from './text-pieces.js';

export interface ReplacementPlan {
  /** Fraction of the words to replace (at least one when anything is replaceable). */
  readonly p: number;
  /** Upper bound of replacements in one augmented row. */
  readonly maxPerRow: number;
}

export interface Replaced {
  readonly text: string;
  /** How many words were swapped (0: nothing in the text had a synonym). */
  readonly count: number;
  /** Replacements that `p` asked for and `maxPerRow` prevented. */
  readonly capped: number;
}

/**
 * One augmented version of a text: n = round(p × words) replaceable words (at least 1, at most
 * `maxPerRow`, at most as many as there are) drawn at random, each swapped for a random synonym in the original word's case.
 * Everything else, spacing and punctuation included, is copied unchanged.
 */
export function replaceSynonyms(analysed: AnalysedText, plan: ReplacementPlan, random: Random): Replaced {
  const candidates: number[] = [];
  analysed.synonyms.forEach((options, i) => {
    if (options !== undefined && options.length > 0) candidates.push(i);
  });
  const asked = Math.min(candidates.length, Math.max(1, Math.round(plan.p * analysed.wordCount)));
  const chosen = new Set(sample(random, candidates, Math.min(plan.maxPerRow, asked)));
  if (chosen.size === 0) return { text: analysed.pieces.map((piece) => piece.text).join(''), count: 0, capped: 0 };

  // Draw synonyms in piece order so the result does not depend on the order of `chosen`.
  const parts = analysed.pieces.map((piece, i) => {
    const options = analysed.synonyms[i];
    if (!chosen.has(i) || options === undefined) return piece.text;
    return matchCase(piece.text, options[randomIndex(random, options.length)] as string);
  });
  // Putting a word back changes its neighbours' context: confirm again until nothing changes.
  let kept: ReadonlySet<number> = chosen;
  for (let changed = true; changed && kept.size > 0 && analysed.confirm; ) {
    const next = analysed.confirm(parts, [...kept].sort((a, b) => a - b));
    for (const i of kept) if (!next.has(i)) parts[i] = (analysed.pieces[i] as TextPiece).text;
    changed = next.size < kept.size;
    kept = next;
  }
  return { text: parts.join(''), count: kept.size, capped: asked - chosen.size };
}
