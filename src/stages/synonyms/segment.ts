import type { SynonymDictionary } from './synonym-dictionary.js';
import type { TextPiece } from './text-pieces.js';
import { overlapsAny, protectedSpans } from './protected-spans.js';

/**
 * Cuts text into pieces by forward longest match against the dictionary: Chinese and Japanese
 * text has no spaces, so the dictionary's words are the only word boundaries we know. Text
 * between dictionary words stays as one untouched piece.
 *
 * In space-separated scripts a match must also sit on word boundaries, so the dictionary word
 * "cat" never matches inside "category"; and no match overlaps a protected span (URL, address,
 * number, token with digits: see protected-spans.ts).
 */
export function segmentByDictionary(text: string, dictionary: SynonymDictionary, swapNumerals = false): TextPiece[] {
  const pieces: TextPiece[] = [];
  const spans = protectedSpans(text, { plainNumbers: !swapNumerals });
  let gapStart = 0;
  let i = 0;
  while (i < text.length) {
    const word = dictionary.longestWordAt(text, i);
    if (word !== undefined && onWordBoundaries(text, i, i + word.length) && !overlapsAny(spans, i, i + word.length)) {
      if (i > gapStart) pieces.push({ text: text.slice(gapStart, i), word: false });
      pieces.push({ text: word, word: true });
      i += word.length;
      gapStart = i;
    } else {
      i += (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
    }
  }
  if (gapStart < text.length) pieces.push({ text: text.slice(gapStart), word: false });
  return pieces;
}

// Letters of scripts written with spaces between words: Latin, Cyrillic, Greek, ... (not Han,
// kana, Hangul syllables written without spaces, or Thai).
const SPACED_LETTER = /[\p{L}\p{N}]/u;
const UNSPACED_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function isSpacedLetter(ch: string | undefined): boolean {
  return ch !== undefined && SPACED_LETTER.test(ch) && !UNSPACED_LETTER.test(ch);
}

function onWordBoundaries(text: string, start: number, end: number): boolean {
  const first = String.fromCodePoint(text.codePointAt(start) as number);
  const last = text.slice(end - 1, end);
  if (isSpacedLetter(first) && isSpacedLetter(charBefore(text, start))) return false;
  if (isSpacedLetter(last) && isSpacedLetter(text.slice(end, end + 1))) return false;
  return true;
}

function charBefore(text: string, index: number): string | undefined {
  return index === 0 ? undefined : text.slice(index - 1, index);
}

/**
 * Words in a text, for "replace p of the words": dictionary/English words, plus in the gaps each
 * Han/kana character and each run of other letters.
 */
export function countWords(pieces: readonly TextPiece[]): number {
  let count = 0;
  for (const piece of pieces) {
    if (piece.word) count++;
    else count += (piece.text.match(/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|[\p{L}\p{N}]+/gu) ?? []).length;
  }
  return count;
}
