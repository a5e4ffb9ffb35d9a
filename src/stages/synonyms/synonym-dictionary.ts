import { readFile } from 'node:fs/promises';
import { DvctsError } from '../../core/errors.js';

/**
 * A user dictionary of synonym groups, for any language (WordNet covers English only).
 *
 * Format (UTF-8): one group per line, words separated by spaces, tabs, commas (`,` `，`) or `、`;
 * every word of a group is a synonym of the others; a word in several groups gets the union.
 * Blank lines and lines starting with `#` are ignored. Example: `英雄 豪杰 好汉`. Files in the
 * format of HIT's Tongyici Cilin (`Aa01A01= 人 士 人物`) are read too.
 */
export interface SynonymDictionary {
  /** Synonyms of `word` (never `word` itself), in the order the file lists them. */
  synonymsOf(word: string): readonly string[] | undefined;
  /** The longest dictionary word starting at `text[start]`, if any. */
  longestWordAt(text: string, start: number): string | undefined;
  readonly size: number;
}

/** Lines that held no usable group (one word, or one word repeated: `赞叹,赞叹`). */
export interface SkippedGroups {
  readonly count: number;
  /** The first few line numbers (1-based), for the warning and the report. */
  readonly lines: readonly number[];
}

export interface LoadedDictionary {
  readonly dictionary: SynonymDictionary;
  readonly groups: number;
  readonly skipped: SkippedGroups;
}

const SEPARATORS = /[\s,，、]+/u;
/** HIT's Tongyici Cilin codes (`Aa01A01= 人 士`): `=` synonyms, `#` related words, `@` a lone word. */
const CILIN_CODE = /^[A-Z][a-z]\d\d[A-Z]\d\d([=#@])$/;
const LISTED_SKIPPED_LINES = 10;

export async function loadSynonymDictionary(path: string): Promise<LoadedDictionary> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DvctsError('E_DICTIONARY_MISSING', `synonym dictionary ${path} cannot be read`, {
      cause,
      data: { file: path },
      hint: 'check the `dictionary:` path (relative to the stage wdir) and that the file is listed in `deps`',
    });
  }
  return parseSynonymDictionary(content.replace(/^\uFEFF/, ''), path);
}

/**
 * Real synonym files have degenerate lines (a word listed twice, a lone word): those are skipped
 * and counted, not fatal. Only a file with no usable group at all is an error.
 */
export function parseSynonymDictionary(content: string, file: string): LoadedDictionary {
  const synonyms = new Map<string, string[]>();
  const skippedLines: number[] = [];
  let skipped = 0;
  let groups = 0;
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = [...new Set(groupWords(line))];
    if (words.length < 2) {
      if (skippedLines.length < LISTED_SKIPPED_LINES) skippedLines.push(i + 1);
      skipped++;
      return;
    }
    groups++;
    for (const word of words) {
      const known = synonyms.get(word) ?? [];
      for (const other of words) if (other !== word && !known.includes(other)) known.push(other);
      synonyms.set(word, known);
    }
  });
  if (groups === 0) {
    throw new DvctsError('E_DICTIONARY_EMPTY', `${file}: no synonym group with at least two different words${skipped > 0 ? ` (${skipped} line(s) had one word only, first at line ${skippedLines[0]})` : ''}`, {
      data: { file, skipped, lines: skippedLines },
      hint: 'write one group per line, its words separated by spaces or commas: 天地 乾坤 宇宙',
    });
  }
  return { dictionary: new TrieDictionary(synonyms), groups, skipped: { count: skipped, lines: skippedLines } };
}

/** The words of one line; a Cilin line's code is dropped, and its related-word (`#`) lines give none. */
function groupWords(line: string): string[] {
  const words = line.split(SEPARATORS).filter((w) => w !== '');
  const cilin = CILIN_CODE.exec(words[0] ?? '');
  if (!cilin) return words;
  return cilin[1] === '=' ? words.slice(1) : [];
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  word?: string;
}

class TrieDictionary implements SynonymDictionary {
  private readonly root: TrieNode = { next: new Map() };

  constructor(private readonly groups: ReadonlyMap<string, readonly string[]>) {
    for (const word of groups.keys()) this.insert(word);
  }

  get size(): number {
    return this.groups.size;
  }

  synonymsOf(word: string): readonly string[] | undefined {
    return this.groups.get(word);
  }

  longestWordAt(text: string, start: number): string | undefined {
    let node: TrieNode | undefined = this.root;
    let found: string | undefined;
    for (let i = start; i < text.length && node; ) {
      const ch = String.fromCodePoint(text.codePointAt(i) as number);
      node = node.next.get(ch);
      i += ch.length;
      if (node?.word !== undefined) found = node.word;
    }
    return found;
  }

  private insert(word: string): void {
    let node = this.root;
    for (const ch of word) {
      let child = node.next.get(ch);
      if (!child) {
        child = { next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.word = word;
  }
}
