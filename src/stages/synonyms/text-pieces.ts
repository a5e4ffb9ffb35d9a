import { overlapsAny, protectedSpans } from './protected-spans.js';

/**
 * A text cut into pieces whose concatenation is the text again, byte for byte: words (which may
 * be replaced) and everything between them (spaces, punctuation), which is never touched. That is
 * how case and punctuation survive a replacement.
 */
export interface TextPiece {
  readonly text: string;
  readonly word: boolean;
}

// Latin words with inner apostrophes or hyphens ("don't", "well-being"), not part of a longer run
// of letters or digits ("résumé" is no "sum", "Computers4Sure" no "Sure").
const ENGLISH_WORD = /(?<![\p{L}\p{N}\p{M}])[A-Za-z]+(?:['’-][A-Za-z]+)*(?![\p{L}\p{N}\p{M}])/gu;

/**
 * English (and other space-separated Latin-script text): words and the gaps between them. Words
 * inside protected spans (URLs, addresses, tokens with digits, ...) are left in the gaps.
 */
export function englishPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  const spans = protectedSpans(text);
  let last = 0;
  for (const m of text.matchAll(ENGLISH_WORD)) {
    const start = m.index;
    if (overlapsAny(spans, start, start + m[0].length)) continue;
    if (start > last) pieces.push({ text: text.slice(last, start), word: false });
    pieces.push({ text: m[0], word: true });
    last = start + m[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), word: false });
  return pieces;
}

/** Tokens for a POS tagger: the words, and each punctuation mark as its own token. */
export function taggerTokens(pieces: readonly TextPiece[]): { tokens: string[]; wordAt: number[] } {
  const tokens: string[] = [];
  const wordAt: number[] = []; // piece index -> token index (-1 for gaps)
  for (const piece of pieces) {
    if (piece.word) {
      wordAt.push(tokens.length);
      tokens.push(piece.text);
    } else {
      wordAt.push(-1);
      for (const mark of piece.text.match(/[^\s]/gu) ?? []) tokens.push(mark);
    }
  }
  return { tokens, wordAt };
}

/** Gives `replacement` the case pattern of `original`: "Nation" -> "Country", "USA" -> "US". */
export function matchCase(original: string, replacement: string): string {
  const letters = original.replace(/[^\p{L}]/gu, '');
  if (letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    return replacement.toUpperCase();
  }
  const first = original.charAt(0);
  if (first !== first.toLowerCase() && first === first.toUpperCase()) {
    return replacement.charAt(0).toUpperCase() + replacement.slice(1);
  }
  return replacement;
}
