import { optionFilePath } from '../../table/stage-tables.js';
import { sourceOf, type SynonymsOptions } from './definition.js';
import { EnglishTagger } from './english-tagger.js';
import { loadStopwords } from './stopwords.js';
import { loadSynonymDictionary } from './synonym-dictionary.js';
import { DictionarySource, WordNetSource, type SynonymSource } from './synonym-source.js';
import { WordNetLexicon } from './wordnet-lexicon.js';

export interface OpenSource {
  readonly source: SynonymSource;
  /** Facts for the report (dictionary size, ...). */
  readonly details: Record<string, unknown>;
  /** Things the user should know, logged once before the rows are processed. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** The synonym source the options ask for, with its stop words; files resolve from `wdir`. */
export async function openSynonymSource(options: SynonymsOptions, wdir: string): Promise<OpenSource> {
  const resolvePath = (path: string): string => optionFilePath(wdir, path);
  const source = sourceOf(options);
  const isStopword = await loadStopwords(options.stopwords, source, resolvePath);
  if (source === 'dictionary') {
    const loaded = await loadSynonymDictionary(resolvePath(options.dictionary as string));
    const { count, lines } = loaded.skipped;
    return {
      source: new DictionarySource(loaded.dictionary, isStopword, options.swap_numerals),
      details: {
        dictionary: options.dictionary,
        dictionary_words: loaded.dictionary.size,
        dictionary_groups: loaded.groups,
        dictionary_groups_skipped: { count, lines },
      },
      warnings:
        count === 0
          ? []
          : [
              `warning: ${options.dictionary}: skipped ${count} line(s) without two different words ` +
                `(line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}${count > lines.length ? ', ...' : ''}); ${loaded.groups} group(s) used`,
            ],
      close: async () => {},
    };
  }
  const lexiconOptions = { senses: options.senses, senseShare: options.sense_share, multiWord: options.multi_word, digits: options.swap_numerals };
  const [tagger, lexicon] = await Promise.all([EnglishTagger.open(), WordNetLexicon.open(lexiconOptions)]);
  return {
    source: new WordNetSource(tagger, lexicon, isStopword, options.swap_numerals),
    details: { wordnet_senses: options.senses, wordnet_sense_share: options.sense_share, multi_word: options.multi_word },
    warnings: [],
    close: () => lexicon.close(),
  };
}
