import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';

export const SYNONYMS_ERRORS = defineErrors('uses: synonyms', {
  E_DICTIONARY_REQUIRED: { meaning: '`source: dictionary` without a `dictionary:` file', hint: 'add `dictionary: path/to/synonyms.txt` and list it in `deps`' },
  E_DICTIONARY_UNUSED: { meaning: '`dictionary:` with an explicit `source: wordnet`', hint: 'remove `source: wordnet` (a `dictionary:` implies `source: dictionary`), or remove `dictionary:`' },
  E_DICTIONARY_MISSING: { meaning: 'the synonym dictionary cannot be read', hint: 'check the `dictionary:` path (relative to the stage wdir)', data: { file: 'string' } },
  E_DICTIONARY_EMPTY: {
    meaning: 'no line of the dictionary is a group of two different words (lines with fewer are skipped, counted and warned about)',
    hint: 'one group per line, words separated by spaces or commas: 天地 乾坤 宇宙',
    data: { file: 'string', skipped: 'number', lines: 'number[]' },
  },
  E_STOPWORDS_MISSING: { meaning: 'the stop-word file cannot be read', hint: 'check the `stopwords:` path (relative to the stage wdir)', data: { file: 'string' } },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof SYNONYMS_ERRORS> {}
}
