import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { TABLE_FORMATS, type TableFormat } from '../../table/format.js';
import { DROPNA_ERRORS } from './errors.js';

export interface DropnaOptions {
  readonly columns?: readonly string[];
  readonly na_values: readonly string[];
  readonly how: 'any' | 'all';
  readonly whitespace_is_empty: boolean;
  readonly on_ragged: 'fail' | 'drop';
  readonly max_listed: number;
  readonly format?: TableFormat;
  readonly max_line_bytes?: number;
}

export const dropnaStage: BuiltinDefinition<DropnaOptions> = {
  name: 'dropna',
  version: '1',
  description: 'Drop rows of a CSV/TSV/JSONL table whose chosen columns are missing (empty, NA, null, ...), streaming.',
  options: {
    type: 'object',
    properties: {
      columns: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        description: 'Columns to check (default: all). A name the file does not have is an error that lists the columns it has.',
      },
      na_values: {
        type: 'array',
        items: { type: 'string' },
        default: ['', 'NA', 'N/A', 'null', 'NaN'],
        description: 'Values that mean "missing" (exact match). In JSONL, null and an absent key are always missing.',
      },
      how: {
        type: 'string',
        enum: ['any', 'all'],
        default: 'any',
        description: '`any`: drop a row when any chosen column is missing; `all`: only when all of them are.',
      },
      whitespace_is_empty: {
        type: 'boolean',
        default: true,
        description: 'Treat a whitespace-only value as the empty string (missing when "" is in na_values).',
      },
      on_ragged: {
        type: 'string',
        enum: ['fail', 'drop'],
        default: 'fail',
        description:
          'A row with more or fewer fields than the header: `fail` names every such line (up to max_listed), `drop` drops and counts them.',
      },
      max_listed: {
        type: 'integer',
        minimum: 1,
        default: 50,
        description: 'How many ragged line numbers the error and the report list (all are counted).',
      },
      format: {
        type: 'string',
        enum: TABLE_FORMATS,
        description: 'Table format of input and output when the file extensions do not say (.csv, .tsv, .jsonl, .ndjson).',
      },
      // No schema default: a stage that does not set it keeps its lock entry (and is not rerun).
      max_line_bytes: { type: 'integer', minimum: 1, description: 'Longest line, or quoted record spanning lines, accepted, in bytes (default 64 MiB, as `encoding`); bounds memory.' },
    },
  },
  check(_options, stage) {
    const { outs } = stage;
    if (stage.deps.length === 1 && outs.length === 1) return [];
    const problem: OptionProblem = {
      code: 'E_DROPNA_ARITY',
      path: [],
      message: `dropna filters one table: it needs exactly 1 dep and 1 out (got ${stage.deps.length} and ${outs.length})`,
      hint: 'use one stage per table',
    };
    return [problem];
  },
  errors: DROPNA_ERRORS,
  runner: new URL('./run.js', import.meta.url).href,
};
