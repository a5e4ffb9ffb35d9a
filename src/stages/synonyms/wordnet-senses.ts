import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WordNetPos } from './wordnet-files.js';

/**
 * How often each sense of a word was seen in the SemCor corpus, from WordNet's `index.sense`
 * (`sense_key synset_offset sense_number tag_cnt`, sorted by sense key, e.g.
 * `buy%2:40:00:: 02211988 1 102`). A word's rare senses are where the wrong synonyms come from:
 * "buy" has 102 tagged uses as "purchase" and none as "bribe"/"grease one's palms".
 */
const SS_TYPES: Readonly<Record<WordNetPos, readonly string[]>> = { n: ['1'], v: ['2'], a: ['3', '5'], r: ['4'] };

export class WordNetSenseCounts {
  private constructor(
    private readonly index: Buffer,
    private readonly lineStarts: Int32Array,
  ) {}

  static async open(dictDir: string): Promise<WordNetSenseCounts> {
    const index = await readFile(join(dictDir, 'index.sense'));
    const starts: number[] = [];
    for (let pos = 0; pos < index.length; ) {
      starts.push(pos);
      const end = index.indexOf(0x0a, pos);
      if (end < 0) break;
      pos = end + 1;
    }
    if (index.length > 0 && index[index.length - 1] === 0x0a) starts.pop();
    return new WordNetSenseCounts(index, Int32Array.from(starts));
  }

  /** Tagged-use count by synset offset for `lemma` (lower case, `_` for spaces) as part of speech `pos`. */
  countsOf(lemma: string, pos: WordNetPos): Map<number, number> {
    const counts = new Map<number, number>();
    const prefix = Buffer.from(`${lemma}%`, 'utf8');
    for (let i = this.firstAtOrAfter(prefix); i < this.lineStarts.length; i++) {
      const start = this.lineStarts[i] as number;
      if (this.index.compare(prefix, 0, prefix.length, start, start + prefix.length) !== 0) break;
      const end = this.index.indexOf(0x0a, start);
      const [key, offset, , count] = this.index.toString('latin1', start, end < 0 ? undefined : end).split(' ');
      if (!SS_TYPES[pos].includes(key?.charAt(prefix.length) ?? '')) continue;
      counts.set(Number(offset), Number(count));
    }
    return counts;
  }

  private firstAtOrAfter(key: Buffer): number {
    let lo = 0;
    let hi = this.lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.lineStarts[mid] as number;
      const order = this.index.compare(key, 0, key.length, start, Math.min(start + key.length, this.index.length));
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
