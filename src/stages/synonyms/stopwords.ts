import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { DvctsError } from '../../core/errors.js';
import type { IsStopword } from './synonym-source.js';

/**
 * Words never replaced. `stopwords:` is a list of words, or the path of a UTF-8 file with one
 * word per line (`#` comments allowed). Without it, WordNet uses natural's English stop-word list
 * and a dictionary uses none. Matching ignores case.
 */
export async function loadStopwords(
  option: readonly string[] | string | undefined,
  source: 'wordnet' | 'dictionary',
  resolvePath: (path: string) => string,
): Promise<IsStopword> {
  let words: readonly string[];
  if (Array.isArray(option)) words = option;
  else if (typeof option === 'string') words = await readStopwordFile(resolvePath(option));
  else words = source === 'wordnet' ? naturalEnglishStopwords() : [];
  const set = new Set(words.map((w) => w.toLowerCase()));
  return (word) => set.has(word.toLowerCase());
}

async function readStopwordFile(path: string): Promise<string[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DvctsError('E_STOPWORDS_MISSING', `stop-word file ${path} cannot be read`, {
      cause,
      data: { file: path },
      hint: 'check the `stopwords:` path (relative to the stage wdir) and that it is listed in `deps`',
    });
  }
  return content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function naturalEnglishStopwords(): readonly string[] {
  // A plain data module of natural's (no dotenv); it ships no type declarations, hence require.
  const require = createRequire(import.meta.url);
  return (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
}
