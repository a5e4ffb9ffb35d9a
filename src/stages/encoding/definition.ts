import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { didYouMean } from '../../core/suggest.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../table/line-limit.js';
import { CHARSET_NAMES, findCharset } from './charsets.js';
import { ENCODING_ERRORS } from './errors.js';

const NAMES = `${CHARSET_NAMES.join(', ')} (any case; aliases such as UTF8, cp936, Big5-HKSCS, Shift-JIS, cp949, ISO-8859-1)`;

export interface EncodingOptions {
  readonly from: string;
  readonly to: string;
  readonly on_invalid: 'fail' | 'replace' | 'drop-line';
  readonly bom: 'keep' | 'add' | 'remove';
  readonly max_reported: number;
  readonly max_line_bytes: number;
}

export const encodingStage: BuiltinDefinition<EncodingOptions> = {
  name: 'encoding',
  version: '1',
  description:
    'Re-encode a text or CSV/TSV/JSONL file (GBK, GB18030, Big5, Shift_JIS, EUC-KR, UTF-16, latin1, ...) ' +
    'line by line with iconv-lite, reporting every undecodable or unencodable sequence with its line and byte offset.',
  options: {
    type: 'object',
    properties: {
      from: {
        type: 'string',
        default: 'auto',
        examples: ['auto', ...CHARSET_NAMES],
        description:
          `Charset of the input: ${NAMES}. \`auto\` detects it from the byte-order mark, UTF-8 validity, or a ` +
          'GBK/Big5/Shift_JIS/EUC-KR heuristic over the first MiB, and logs and reports what it chose.',
      },
      to: { type: 'string', default: 'utf-8', examples: CHARSET_NAMES, description: `Charset of the output: ${NAMES}.` },
      on_invalid: {
        type: 'string',
        enum: ['fail', 'replace', 'drop-line'],
        default: 'fail',
        description:
          'What to do with a byte sequence that cannot be decoded (or a character the target cannot encode): `fail` ' +
          'lists them all and writes nothing, `replace` writes U+FFFD (or `?` in a legacy target), `drop-line` drops the line.',
      },
      bom: {
        type: 'string',
        enum: ['keep', 'add', 'remove'],
        default: 'keep',
        description:
          'Byte-order mark of the output: `keep` writes one when the input had one (so a round trip is byte-exact), ' +
          '`add` always writes one, `remove` never does. Only Unicode targets have a BOM.',
      },
      max_reported: {
        type: 'integer',
        minimum: 0,
        default: 100,
        description: 'How many bad sequences the report and error list individually (all are counted).',
      },
      max_line_bytes: {
        type: 'integer',
        minimum: 1,
        default: DEFAULT_MAX_LINE_BYTES,
        description: 'Longest line accepted, in bytes; bounds memory (a wrong `from:` can hide every line break).',
      },
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [...charsetProblems('from', options.from, true), ...charsetProblems('to', options.to, false)];
    const { outs } = stage;
    if (stage.deps.length !== 1 || outs.length !== 1) {
      problems.push({
        code: 'E_ENCODING_ARITY',
        path: [],
        message: `encoding converts one file: it needs exactly 1 dep and 1 out (got ${stage.deps.length} and ${outs.length})`,
        hint: 'use one stage per file (foreach: can generate them)',
      });
    }
    const target = findCharset(options.to ?? 'utf-8');
    if (options.bom === 'add' && target && !target.unicode) {
      problems.push({
        code: 'E_ENCODING_BOM_UNSUPPORTED',
        path: ['bom'],
        message: `${target.name} has no byte-order mark`,
        hint: 'use bom: keep or remove, or a Unicode target (utf-8, utf-16le, utf-16be)',
      });
    }
    return problems;
  },
  errors: ENCODING_ERRORS,
  runner: new URL('./run.js', import.meta.url).href,
};

/** A charset name is checked by meaning (case, `-`, `_` and aliases do not matter), not by spelling. */
function charsetProblems(option: 'from' | 'to', name: string | undefined, allowAuto: boolean): OptionProblem[] {
  if (name === undefined || findCharset(name) || (allowAuto && name.toLowerCase() === 'auto')) return [];
  const choices = allowAuto ? ['auto', ...CHARSET_NAMES] : CHARSET_NAMES;
  return [
    {
      code: 'E_OPTION_VALUE',
      path: [option],
      message: `"${option}" names no supported encoding: ${JSON.stringify(name)}`,
      hint: didYouMean(name.toLowerCase(), choices) ?? `use one of: ${choices.join(', ')}`,
    },
  ];
}
