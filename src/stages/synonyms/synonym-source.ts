import { EnglishTagger, posClassOf, wordnetPosOf } from './english-tagger.js';
import { keepsNumberForm } from './number-form.js';
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
  /**
   * Of the replaced pieces `changed` (their new texts in `texts`), those that may stay; the others
   * are put back. WordNet re-tags the copy, so a synonym that reads as another part of speech in
   * its new context ("the middle class" -> "the middle family", tagged as an adverb) is undone.
   */
  readonly confirm?: (texts: readonly string[], changed: readonly number[]) => ReadonlySet<number>;
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
    private readonly swapNumerals: boolean,
  ) {}

  async analyse(text: string): Promise<AnalysedText> {
    const pieces = englishPieces(text);
    const { tokens, wordAt } = taggerTokens(pieces);
    const tagged = this.tagger.tag(tokens);
    const synonyms = await Promise.all(
      pieces.map(async (piece, i) => {
        const token = tagged[wordAt[i] ?? -1];
        if (!piece.word || token === undefined || !token.trusted || this.isStopword(piece.text)) return undefined;
        if (NEVER_REPLACED.has(piece.text.toLowerCase())) return undefined;
        const pos = wordnetPosOf(token.tag);
        if (pos === undefined) return undefined;
        const found = (await this.lexicon.synonyms(piece.text.toLowerCase(), pos)).filter(
          (synonym) => this.fitsSlot(synonym, token.tag) && (this.swapNumerals || keepsNumberForm(piece.text, synonym)),
        );
        return found.length > 0 ? found : undefined;
      }),
    );
    const confirm = (texts: readonly string[], changed: readonly number[]): ReadonlySet<number> => {
      const retagged = this.tagger.tag(taggerTokens(pieces.map((piece, i) => ({ ...piece, text: texts[i] as string }))).tokens);
      return new Set(
        changed.filter((i) => {
          if ((texts[i] as string).includes(' ')) return true; // a phrase is not one token to compare
          const before = tagged[wordAt[i] as number]?.tag;
          const after = retagged[wordAt[i] as number]?.tag;
          return before !== undefined && after !== undefined && posClassOf(before) === posClassOf(after);
        }),
      );
    };
    return { pieces, synonyms, wordCount: countWords(pieces), confirm };
  }

  /**
   * A one-word synonym must be a word the tagger's lexicon knows with the very tag of the word it
   * replaces, and whose most frequent use is that part of speech: WordNet's verb synset of "halt"
   * holds "stop", yet "halt" read in a verb's place is first a noun. Measured on e-mail text this
   * cut the replacements whose part of speech an independent tagger disagreed with from 11.2% to
   * 10.3%, losing 1.6% of the replacements. (Multi-word synonyms, when allowed, are not in the lexicon.)
   */
  private fitsSlot(synonym: string, tag: string): boolean {
    if (synonym.includes(' ')) return true;
    const tags = this.tagger.lexiconTags(synonym);
    return tags !== undefined && tags.includes(tag) && posClassOf(tags[0] as string) === posClassOf(tag);
  }
}

/** Any language: words found by longest match in the user's synonym-group dictionary. */
export class DictionarySource implements SynonymSource {
  readonly name = 'dictionary';

  constructor(
    private readonly dictionary: SynonymDictionary,
    private readonly isStopword: IsStopword,
    private readonly swapNumerals: boolean,
  ) {}

  async analyse(text: string): Promise<AnalysedText> {
    const pieces = segmentByDictionary(text, this.dictionary, this.swapNumerals);
    const synonyms = pieces.map((piece) => {
      if (!piece.word || this.isStopword(piece.text)) return undefined;
      const found = this.dictionary.synonymsOf(piece.text)?.filter((s) => this.swapNumerals || keepsNumberForm(piece.text, s));
      return found !== undefined && found.length > 0 ? found : undefined;
    });
    return { pieces, synonyms, wordCount: countWords(pieces) };
  }
}
