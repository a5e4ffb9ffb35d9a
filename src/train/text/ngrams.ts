/**
 * The terms of one text: character n-grams (which make Chinese and other unsegmented scripts
 * work without a segmenter) and word n-grams. Text is NFKC-normalised and lower-cased and runs of
 * white space count as one space, so full-width and half-width forms give the same terms.
 * Character terms are prefixed `c:` and word terms `w:`, so "a" the character and "a" the word
 * are different features.
 */
export interface NgramConfig {
  /** [min, max] lengths of character n-grams, or undefined for none. */
  readonly char_ngrams?: readonly [number, number];
  /** [min, max] lengths of word n-grams, or undefined for none. */
  readonly word_ngrams?: readonly [number, number];
}

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}]+)*/gu;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Every term occurrence of `text`, repeated as often as it occurs (counts matter for tf). */
export function termsOf(text: string, config: NgramConfig): string[] {
  const normal = normalizeText(text);
  const terms: string[] = [];
  if (config.char_ngrams) {
    // Code points, not UTF-16 units: a character outside the BMP is one character.
    const chars = Array.from(normal);
    addNgrams(chars, config.char_ngrams, '', 'c:', terms);
  }
  if (config.word_ngrams) addNgrams(normal.match(WORD) ?? [], config.word_ngrams, ' ', 'w:', terms);
  return terms;
}

function addNgrams(units: readonly string[], [min, max]: readonly [number, number], joiner: string, prefix: string, into: string[]): void {
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= units.length; i++) into.push(prefix + units.slice(i, i + n).join(joiner));
  }
}
