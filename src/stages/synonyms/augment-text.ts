import { replaceSynonyms, type ReplacementPlan } from './replace.js';
import { randomFor } from './seeded-random.js';
import type { SynonymSource } from './synonym-source.js';

/** Why a requested copy was not written. */
export type SkippedCopy = 'no_replaceable_word' | 'duplicate_copy';

export interface TextCopies {
  /** The distinct augmented texts, copy order. */
  readonly texts: readonly string[];
  readonly wordsReplaced: number;
  /** Written copies in which `max_per_row` cut the replacements `p` asked for, and how many it cut. */
  readonly cappedCopies: number;
  readonly cappedReplacements: number;
  readonly skipped: readonly SkippedCopy[];
}

/**
 * The augmented copies of one text. Copy k draws from randomFor(seed, identity, k), so a row's
 * copies depend on nothing but the seed, the row and the text: not on other rows, order or
 * concurrency. A copy equal to the text or to an earlier copy is skipped, not written twice.
 */
export async function augmentText(
  source: SynonymSource,
  text: string,
  plan: ReplacementPlan & { readonly copies: number; readonly seed: number },
  identity: string,
): Promise<TextCopies> {
  const analysed = await source.analyse(text);
  const texts: string[] = [];
  const skipped: SkippedCopy[] = [];
  let wordsReplaced = 0;
  let cappedCopies = 0;
  let cappedReplacements = 0;
  for (let copy = 0; copy < plan.copies; copy++) {
    const replaced = replaceSynonyms(analysed, plan, randomFor(plan.seed, identity, copy));
    if (replaced.count === 0 || replaced.text === text) skipped.push('no_replaceable_word');
    else if (texts.includes(replaced.text)) skipped.push('duplicate_copy');
    else {
      texts.push(replaced.text);
      wordsReplaced += replaced.count;
      if (replaced.capped > 0) cappedCopies++;
      cappedReplacements += replaced.capped;
    }
  }
  return { texts, wordsReplaced, cappedCopies, cappedReplacements, skipped };
}
