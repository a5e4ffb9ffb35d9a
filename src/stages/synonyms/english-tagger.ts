import type { WordNetPos } from './wordnet-lexicon.js';

/**
 * Part-of-speech tags for English tokens, from natural's Brill tagger with the English lexicon
 * and rule set shipped in natural (Penn Treebank tags).
 *
 * natural's package entry point loads its storage backends, which import dotenv: that would read
 * a user's `.env` from the working directory into process.env and print to stdout. So we import
 * only the tagger submodule, which does not; DOTENV_CONFIG_QUIET is set in case natural changes.
 */
interface BrillTagger {
  tag(tokens: string[]): { taggedWords: { token: string; tag: string }[] };
}

export class EnglishTagger {
  private constructor(private readonly tagger: BrillTagger) {}

  static async open(): Promise<EnglishTagger> {
    process.env.DOTENV_CONFIG_QUIET = 'true';
    const { BrillPOSTagger, Lexicon, RuleSet } = await import('natural/lib/natural/brill_pos_tagger/index.js');
    // Unknown words default to noun, capitalised unknown words to proper noun (never replaced).
    const tagger = new BrillPOSTagger(new Lexicon('EN', 'N', 'NNP'), new RuleSet('EN'));
    return new EnglishTagger(tagger as unknown as BrillTagger);
  }

  tag(tokens: string[]): string[] {
    if (tokens.length === 0) return [];
    return this.tagger.tag(tokens).taggedWords.map((w) => w.tag);
  }
}

/**
 * The WordNet part of speech for a Penn tag, for base forms only. Inflected forms (plural nouns,
 * past tenses, comparatives) are left alone: WordNet lists lemmas, and swapping "nations" for a
 * lemma synonym would break agreement. Proper nouns (NNP) are never replaced, nor are words the
 * lexicon does not know (the tagger's default tag `N`): their part of speech is a guess.
 */
export function wordnetPosOf(pennTag: string): WordNetPos | undefined {
  switch (pennTag) {
    case 'NN':
      return 'n';
    case 'VB':
    case 'VBP':
      return 'v';
    case 'JJ':
      return 'a';
    case 'RB':
      return 'r';
    default:
      return undefined;
  }
}
