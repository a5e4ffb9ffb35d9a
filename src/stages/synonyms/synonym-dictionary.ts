import { readFile } from 'node:fs/promises';
import { DvctsError } from '../../core/errors.js';

/**
 * A user dictionary of synonym groups, for any language (WordNet covers English only).
 *
 * Format (UTF-8): one group per line, words separated by spaces, tabs, commas (`,` `，`) or `、`;
 * every word of a group is a synonym of the others; a word in several groups gets the union.
 * Blank lines and lines starting with `#` are ignored. Example: `英雄 豪杰 好汉`.
 */
export interface SynonymDictionary {
  /** Synonyms of `word` (never `word` itself), in the order the file lists them. */
  synonymsOf(word: string): readonly string[] | undefined;
  /** The longest dictionary word starting at `text[start]`, if any. */
  longestWordAt(text: string, start: number): string | undefined;
  readonly size: number;
}

const SEPARATORS = /[\s,，、]+/u;

export async function loadSynonymDictionary(path: string): Promise<SynonymDictionary> {
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

export function parseSynonymDictionary(content: string, file: string): SynonymDictionary {
  const groups = new Map<string, string[]>();
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = [...new Set(line.split(SEPARATORS).filter((w) => w !== ''))];
    if (words.length < 2) {
      throw new DvctsError('E_DICTIONARY_INVALID', `${file}:${i + 1}: a synonym group needs at least two words`, {
        data: { file, line: i + 1, text: line },
        hint: 'separate the words of a group with spaces or commas, one group per line',
      });
    }
    for (const word of words) {
      const known = groups.get(word) ?? [];
      for (const other of words) if (other !== word && !known.includes(other)) known.push(other);
      groups.set(word, known);
    }
  });
  return new TrieDictionary(groups);
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
