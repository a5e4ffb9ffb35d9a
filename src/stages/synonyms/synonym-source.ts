import { EnglishTagger, wordnetPosOf } from './english-tagger.js';
import { countWords, segmentByDictionary } from './segment.js';
import type { SynonymDictionary } from './synonym-dictionary.js';
import { englishPieces, taggerTokens, type TextPiece } from './text-pieces.js';
import type { WordNetLexicon } from './wordnet-lexicon.js';

/** A text cut into pieces, with the synonyms each replaceable piece may take. */
export interface AnalysedText {
  readonly pieces: readonly TextPiece[];
  /** Per piece: its synonyms, or undefined when it is not to be replaced. */
  readonly synonyms: readonly (readonly string[] | undefined)[];
  /** Number of words, the base of "replace p of the words". */
  readonly wordCount: number;
}

export interface SynonymSource {
  /** `wordnet` or `dictionary`: the suffix of `aug_method`. */
  readonly name: string;
  analyse(text: string): Promise<AnalysedText>;
}

export type IsStopword = (word: string) => boolean;

/** Negations: a WordNet "synonym" of "not" is "non", and swapping them changes the meaning. */
const NEVER_REPLACED = new Set(['not', 'no', 'nor', 'never', 'none', 'nothing', 'nobody', 'nowhere', 'neither']);

/** English: WordNet synonyms of the POS that the Brill tagger gives each base-form word. */
export class WordNetSource implements SynonymSource {
  readonly name = 'wordnet';

  constructor(
    private readonly tagger: EnglishTagger,
    private readonly lexicon: WordNetLexicon,
    private readonly isStopword: IsStopword,
  ) {}

  async analyse(text: string): Promise<AnalysedText> {
    const pieces = englishPieces(text);
    const { tokens, wordAt } = taggerTokens(pieces);
    const tags = this.tagger.tag(tokens);
    const synonyms = await Promise.all(
      pieces.map(async (piece, i) => {
        const tag = tags[wordAt[i] ?? -1];
        if (!piece.word || tag === undefined || this.isStopword(piece.text)) return undefined;
        if (NEVER_REPLACED.has(piece.text.toLowerCase())) return undefined;
        const pos = wordnetPosOf(tag);
        if (pos === undefined) return undefined;
        const found = await this.lexicon.synonyms(piece.text.toLowerCase(), pos);
        return found.length > 0 ? found : undefined;
      }),
    );
    return { pieces, synonyms, wordCount: countWords(pieces) };
  }
}

/** Any language: words found by longest match in the user's synonym-group dictionary. */
export class DictionarySource implements SynonymSource {
  readonly name = 'dictionary';

  constructor(
    private readonly dictionary: SynonymDictionary,
    private readonly isStopword: IsStopword,
  ) {}

  async analyse(text: string): Promise<AnalysedText> {
    const pieces = segmentByDictionary(text, this.dictionary);
    const synonyms = pieces.map((piece) =>
      piece.word && !this.isStopword(piece.text) ? this.dictionary.synonymsOf(piece.text) : undefined,
    );
    return { pieces, synonyms, wordCount: countWords(pieces) };
  }
}
