import { optionFilePath } from '../../table/stage-tables.js';
import type { SynonymsOptions } from './definition.js';
import { EnglishTagger } from './english-tagger.js';
import { loadStopwords } from './stopwords.js';
import { loadSynonymDictionary } from './synonym-dictionary.js';
import { DictionarySource, WordNetSource, type SynonymSource } from './synonym-source.js';
import { WordNetLexicon } from './wordnet-lexicon.js';

export interface OpenSource {
  readonly source: SynonymSource;
  /** Facts for the report (dictionary size, ...). */
  readonly details: Record<string, unknown>;
  close(): Promise<void>;
}

/** The synonym source the options ask for, with its stop words; files resolve from `wdir`. */
export async function openSynonymSource(options: SynonymsOptions, wdir: string): Promise<OpenSource> {
  const resolvePath = (path: string): string => optionFilePath(wdir, path);
  const isStopword = await loadStopwords(options.stopwords, options.source, resolvePath);
  if (options.source === 'dictionary') {
    const dictionary = await loadSynonymDictionary(resolvePath(options.dictionary as string));
    return {
      source: new DictionarySource(dictionary, isStopword),
      details: { dictionary: options.dictionary, dictionary_words: dictionary.size },
      close: async () => {},
    };
  }
  const [tagger, lexicon] = await Promise.all([EnglishTagger.open(), WordNetLexicon.open(options.senses)]);
  return {
    source: new WordNetSource(tagger, lexicon, isStopword),
    details: { wordnet_senses: options.senses },
    close: () => lexicon.close(),
  };
}
