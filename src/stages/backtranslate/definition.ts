import { tableFilesProblems } from '../../table/stage-tables.js';
import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { BACKTRANSLATE_ERRORS } from './errors.js';

export type BacktranslateEngineName = 'apertium' | 'apy' | 'libretranslate';

export interface BacktranslateOptions {
  readonly column: string;
  readonly engine: BacktranslateEngineName;
  readonly source: string;
  readonly pivot: string;
  readonly url?: string;
  readonly api_key_env?: string;
  readonly on_unchanged: 'mark' | 'drop';
  readonly batch_size: number;
  readonly timeout_ms: number;
  readonly retries: number;
  readonly id_column?: string;
}

export const BACKTRANSLATE_VERSION = '2'; // 2: APy batches separate sentences with a boundary paragraph

/** Where the HTTP engines listen by default (APy's and LibreTranslate's own defaults). */
export const DEFAULT_URLS: Readonly<Record<'apy' | 'libretranslate', string>> = {
  apy: 'http://127.0.0.1:2737',
  libretranslate: 'http://127.0.0.1:5000',
};

export const backtranslateStage: BuiltinDefinition<BacktranslateOptions> = {
  name: 'backtranslate',
  version: BACKTRANSLATE_VERSION,
  description:
    'Back-translation augmentation of a text column (CSV/TSV/JSONL): each text goes to a pivot language and back ' +
    '(Apertium CLI, Apertium APy or LibreTranslate), in batches, with every sentence memoised in the per-item cache. ' +
    'Keeps every original row and adds the round trip after it, marked with aug_source and aug_method.',
  options: {
    type: 'object',
    required: ['column'],
    properties: {
      column: { type: 'string', description: 'The text column to back-translate; other columns are copied. Each line of a cell is one sentence.' },
      engine: {
        type: 'string',
        enum: ['apertium', 'apy', 'libretranslate'],
        default: 'apertium',
        description:
          '`apertium`: the local CLI (apt-get install apertium apertium-eng-spa). `apy`: an Apertium APy server. ' +
          '`libretranslate`: a LibreTranslate server.',
      },
      source: {
        type: 'string',
        default: 'eng',
        description: 'Language of the text, in the engine\'s codes: Apertium uses ISO 639-3 (eng), LibreTranslate two letters (en).',
      },
      pivot: { type: 'string', default: 'spa', description: 'The language to translate to and back from (spa; LibreTranslate: es).' },
      url: {
        type: 'string',
        description: `Server of the HTTP engines. Default: ${DEFAULT_URLS.apy} (apy), ${DEFAULT_URLS.libretranslate} (libretranslate).`,
      },
      api_key_env: {
        type: 'string',
        description:
          'libretranslate: NAME of the environment variable holding the API key (e.g. LT_API_KEY). The key itself never ' +
          'goes in the YAML; a named variable that is unset is an error.',
      },
      on_unchanged: {
        type: 'string',
        enum: ['mark', 'drop'],
        default: 'mark',
        description:
          'A round trip that returns the text unchanged: `mark` writes it with bt_unchanged = true (other augmented rows ' +
          'get false, originals empty), `drop` does not write it. Both are counted in the report.',
      },
      batch_size: {
        type: 'integer',
        minimum: 1,
        default: 1000,
        description: 'Rows per engine batch (one Apertium pipeline, or one request per direction); bounds memory.',
      },
      timeout_ms: { type: 'integer', minimum: 1, default: 60_000, description: 'HTTP engines: time limit of one request attempt.' },
      retries: {
        type: 'integer',
        minimum: 0,
        default: 2,
        description: 'HTTP engines: further attempts after a timeout, network error, 429 or 5xx (with 250 ms, 500 ms, ... pauses).',
      },
      id_column: {
        type: 'string',
        description: 'Column holding a stable row id, written to aug_source. Default: the 0-based data row index.',
      },
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [...tableFilesProblems(stage, [])];
    const engine = options.engine ?? 'apertium';
    if (engine === 'apertium' && options.url !== undefined) problems.push(unused('url', 'apertium runs locally'));
    if (engine !== 'libretranslate' && options.api_key_env !== undefined) {
      problems.push(unused('api_key_env', 'only libretranslate takes an API key'));
    }
    if (options.api_key_env !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.api_key_env)) {
      problems.push({
        code: 'E_API_KEY_ENV_NAME',
        path: ['api_key_env'],
        message: '`api_key_env` is the NAME of an environment variable (letters, digits, _), not the key itself',
        hint: 'export LT_API_KEY=... and write `api_key_env: LT_API_KEY`',
      });
    }
    return problems;
  },
  errors: BACKTRANSLATE_ERRORS,
  runner: new URL('./run.js', import.meta.url).href,
};

function unused(option: string, why: string): OptionProblem {
  return { code: 'E_OPTION_UNUSED', path: [option], message: `\`${option}\` has no effect here: ${why}`, hint: `remove \`${option}\`, or change \`engine:\`` };
}
