import type { WordNetPos } from './wordnet-lexicon.js';

/**
 * Part-of-speech tags for English tokens, from natural's Brill tagger with the English lexicon
 * and rule set shipped in natural (Penn Treebank tags), plus a few context rules of our own.
 *
 * natural's package entry point loads its storage backends, which import dotenv: that would read
 * a user's `.env` from the working directory into process.env and print to stdout. So we import
 * only the tagger submodule, which does not; DOTENV_CONFIG_QUIET is set in case natural changes.
 */
interface BrillTagger {
  tag(tokens: string[]): { taggedWords: { token: string; tag: string }[] };
}

interface BrillLexicon {
  readonly lexicon: Readonly<Record<string, readonly string[] | undefined>>;
}

export interface TaggedToken {
  readonly tag: string;
  /**
   * Whether the tag can be trusted for a replacement: the lexicon gives the word one part of
   * speech only ("user": NN), or a context rule chose among its parts of speech ("to report": VB).
   * natural's rule set has no rule for most ambiguous words, so "report" in "we report" would
   * stay NN, and a noun synonym would be put in a verb's place.
   */
  readonly trusted: boolean;
}

const SUBJECT_PRONOUNS = new Set(['i', 'we', 'you', 'they']);
const NOUN_CONTEXT = new Set(['DT', 'PRP$', 'POS', 'JJ']);

export class EnglishTagger {
  private constructor(
    private readonly tagger: BrillTagger,
    private readonly lexicon: BrillLexicon,
  ) {}

  static async open(): Promise<EnglishTagger> {
    process.env.DOTENV_CONFIG_QUIET = 'true';
    const { BrillPOSTagger, Lexicon, RuleSet } = await import('natural/lib/natural/brill_pos_tagger/index.js');
    // Unknown words default to noun, capitalised unknown words to proper noun (never replaced).
    const lexicon = new Lexicon('EN', 'N', 'NNP');
    const tagger = new BrillPOSTagger(lexicon, new RuleSet('EN'));
    return new EnglishTagger(tagger as unknown as BrillTagger, lexicon as unknown as BrillLexicon);
  }

  /** The Penn tags the lexicon lists for `word` (most frequent first), or undefined if unknown. */
  lexiconTags(word: string): readonly string[] | undefined {
    const own = Object.hasOwn(this.lexicon.lexicon, word) ? this.lexicon.lexicon[word] : undefined;
    const lower = word.toLowerCase();
    const tags = own ?? (Object.hasOwn(this.lexicon.lexicon, lower) ? this.lexicon.lexicon[lower] : undefined);
    return Array.isArray(tags) ? tags : undefined;
  }

  tag(tokens: string[]): TaggedToken[] {
    if (tokens.length === 0) return [];
    const tags = this.tagger.tag(tokens).taggedWords.map((w) => w.tag);
    return tags.map((tag, i) => this.inContext(tokens, tags, i, tag));
  }

  /** Brill's tag, corrected by the context rules below where the lexicon allows the correction. */
  private inContext(tokens: readonly string[], tags: string[], i: number, tag: string): TaggedToken {
    const known = this.lexiconTags(tokens[i] as string);
    if (known === undefined || isNamePart(tokens, i)) return { tag, trusted: false };
    const classes = new Set(known.map(posClassOf));
    // One part of speech: trusted, unless a Brill rule moved the tag out of it ("family" ends in -ly: RB).
    if (classes.size === 1) return { tag, trusted: classes.has(posClassOf(tag)) };
    const chosen = contextTag(tokens, tags, i, known);
    if (chosen === undefined) return { tag, trusted: false };
    tags[i] = chosen; // later rules see the corrected tag
    return { tag: chosen, trusted: true };
  }
}

const SENTENCE_START = new Set(['.', '!', '?', ':', ';', '"', '“', '(', '-', '>']);

/**
 * A capitalised word inside a sentence is most likely part of a name ("the Soviet Union", "Red
 * Hat"), whatever the lexicon says of its lower-case form; at a sentence start it is not.
 */
function isNamePart(tokens: readonly string[], i: number): boolean {
  const token = tokens[i] as string;
  if (!/^\p{Lu}\p{Ll}/u.test(token)) return false;
  const previous = tokens[i - 1];
  return previous !== undefined && !SENTENCE_START.has(previous);
}

const BE = new Set(['be', 'is', 'are', 'was', 'were', 'been', 'being', 'am']);

/**
 * The tag that the neighbours decide for a word of several parts of speech, among those its
 * lexicon entry lists, or undefined when they decide nothing. The next word's tag is Brill's.
 */
function contextTag(tokens: readonly string[], tags: readonly string[], i: number, known: readonly string[]): string | undefined {
  const previousTag = tags[i - 1];
  const previousWord = tokens[i - 1]?.toLowerCase();
  const nextTag = tags[i + 1] ?? '';
  const allowed = (tag: string): string | undefined => (known.includes(tag) ? tag : undefined);
  if (previousTag === 'TO' || previousTag === 'MD') return allowed('VB'); // to report, will report
  if (previousWord !== undefined && SUBJECT_PRONOUNS.has(previousWord)) return allowed('VBP'); // we report
  if (previousTag !== undefined && NOUN_CONTEXT.has(previousTag)) {
    if (nextTag.startsWith('NN')) return allowed('JJ'); // the big problem
    return allowed('NN'); // the report, our report
  }
  // was wrong. (not "was winding": only words mostly used as adjectives)
  if (previousWord !== undefined && BE.has(previousWord) && known[0] === 'JJ' && !/^(NN|JJ)/.test(nextTag)) return 'JJ';
  return undefined;
}

/** The coarse class of a Penn tag: n, v, a, r, or the tag itself for closed classes. */
export function posClassOf(tag: string): string {
  if (tag.startsWith('NN')) return 'n';
  if (tag.startsWith('VB')) return 'v';
  if (tag.startsWith('JJ')) return 'a';
  if (tag.startsWith('RB')) return 'r';
  return tag;
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
