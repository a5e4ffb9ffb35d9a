import { optionFileIsDep, tableFilesProblems } from '../../table/stage-tables.js';
import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { SYNONYMS_ERRORS } from './errors.js';

export interface SynonymsOptions {
  readonly column: string;
  /** Default: `dictionary` when `dictionary:` is given, else `wordnet` (see sourceOf). */
  readonly source?: 'wordnet' | 'dictionary';
  readonly dictionary?: string;
  readonly p: number;
  readonly max_per_row: number;
  readonly copies: number;
  readonly seed: number;
  readonly stopwords?: readonly string[] | string;
  readonly senses: number;
  readonly sense_share: number;
  readonly multi_word: boolean;
  readonly swap_numerals: boolean;
  readonly id_column?: string;
}

/** The synonym source a stage uses: `dictionary:` given alone implies `source: dictionary`. */
export function sourceOf(options: Pick<SynonymsOptions, 'source' | 'dictionary'>): 'wordnet' | 'dictionary' {
  return options.source ?? (options.dictionary !== undefined ? 'dictionary' : 'wordnet');
}

export const synonymsStage: BuiltinDefinition<SynonymsOptions> = {
  name: 'synonyms',
  version: '2',
  description:
    'Synonym-replacement augmentation of a text column (CSV/TSV/JSONL): English through WordNet (offline, same part ' +
    'of speech, case and punctuation kept), any language through a synonym-group dictionary. Keeps every original ' +
    'row and adds `copies` augmented rows after it, marked with aug_source and aug_method.',
  options: {
    type: 'object',
    required: ['column'],
    properties: {
      column: { type: 'string', description: 'The text column to augment; the other columns are copied as they are.' },
      source: {
        type: 'string',
        enum: ['wordnet', 'dictionary'],
        description:
          '`wordnet`: English, synonyms from WordNet synsets of the part of speech that natural\'s Brill tagger gives the ' +
          'word (base forms only: NN, VB/VBP, JJ, RB). `dictionary`: any language, synonyms from `dictionary:`; text ' +
          'without spaces (Chinese, Japanese) is segmented by longest match against it. Default: `dictionary` when ' +
          '`dictionary:` is given, else `wordnet`.',
      },
      dictionary: {
        type: 'string',
        description:
          'Path (relative to the stage wdir) of the synonym-group file for `source: dictionary`, and a dep of the stage: ' +
          'UTF-8, one group per line, words separated by spaces or commas (`,` `，` `、`), `#` starts a comment line. ' +
          'Matching is exact (case-sensitive). Lines without two different words (`赞叹,赞叹`) are skipped, counted and ' +
          'warned about. Implies `source: dictionary`.',
      },
      p: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 0.1,
        description: 'Fraction of a text\'s words to replace in each copy: round(p × words), at least 1, at most max_per_row.',
      },
      max_per_row: {
        type: 'integer',
        minimum: 1,
        default: 3,
        description: 'Most words replaced in one augmented row; rows where it caps what `p` asks for are counted in the report.',
      },
      copies: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description:
          'Augmented rows tried per source row. A copy that changes nothing, or equals an earlier copy, is not written ' +
          '(counted in the report).',
      },
      seed: {
        type: 'integer',
        default: 0,
        description: 'Randomness comes from (seed, row identity, copy index) only: the same seed gives the same bytes.',
      },
      stopwords: {
        anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }],
        description:
          'Words never replaced (case-insensitive): a list, or the path of a file with one word per line (then a dep ' +
          'of the stage). Default: natural\'s English stop-word list for wordnet, none for dictionary; [] for none.',
      },
      senses: {
        type: 'integer',
        minimum: 1,
        default: 3,
        description: 'wordnet: take synonyms from at most the word\'s first N senses (most frequent first).',
      },
      sense_share: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.5,
        description:
          'wordnet: use a sense only if WordNet\'s SemCor counts show it at least this share as often as the word\'s most ' +
          'frequent sense ("buy" as purchase, never as bribe). 0 keeps all of the first `senses`.',
      },
      multi_word: {
        type: 'boolean',
        default: false,
        description: 'wordnet: also replace a word by a phrase ("user" → "drug user"); off, only one-word synonyms are used.',
      },
      swap_numerals: {
        type: 'boolean',
        default: false,
        description:
          'Let a numeral (十, ten) be replaced by digits (10) and digits by a numeral. Off, a number keeps the way it is written.',
      },
      id_column: {
        type: 'string',
        description:
          'Column holding a stable row id: written to aug_source and used as the row identity for randomness. Default: ' +
          'the 0-based data row index.',
      },
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [];
    const optionFiles = [options.dictionary, typeof options.stopwords === 'string' ? options.stopwords : undefined];
    problems.push(...tableFilesProblems(stage, optionFiles.filter((f) => f !== undefined)));
    if (sourceOf(options) === 'dictionary' && options.dictionary === undefined) {
      problems.push({
        code: 'E_DICTIONARY_REQUIRED',
        path: ['source'],
        message: '`source: dictionary` needs a `dictionary:` file of synonym groups',
        hint: 'add `dictionary: path/to/synonyms.txt` and list the file in `deps`',
      });
    }
    if (options.source === 'wordnet' && options.dictionary !== undefined) {
      problems.push({
        code: 'E_DICTIONARY_UNUSED',
        path: ['dictionary'],
        message: '`dictionary:` is not read with `source: wordnet`',
        hint: 'remove `source: wordnet` (a `dictionary:` implies `source: dictionary`), or remove `dictionary:`',
      });
    }
    problems.push(...optionFileIsDep('dictionary', options.dictionary, stage.deps));
    if (typeof options.stopwords === 'string') problems.push(...optionFileIsDep('stopwords', options.stopwords, stage.deps));
    return problems;
  },
  errors: SYNONYMS_ERRORS,
  runner: new URL('./run.js', import.meta.url).href,
};
