import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { TABLE_FORMATS, type TableFormat } from '../../table/format.js';
import { SPLIT_ERRORS } from './errors.js';

export interface SplitOptions {
  readonly ratios: Readonly<Record<string, number>>;
  readonly seed: number | string;
  readonly stratify?: string;
  readonly group?: string;
  readonly format?: TableFormat;
}

const SPLIT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const splitStage: BuiltinDefinition<SplitOptions> = {
  name: 'split',
  version: '1',
  description:
    'Seeded, deterministic train/val/test split of a CSV/TSV/JSONL table (or image manifest) into a folder, ' +
    'optionally stratified by a class column and keeping groups together.',
  options: {
    type: 'object',
    properties: {
      ratios: {
        type: 'object',
        additionalProperties: { type: 'number', minimum: 0, maximum: 1 },
        default: { train: 0.7, val: 0.1, test: 0.2 },
        description:
          'Split name → share of the rows; must sum to 1. Each split is written to `<out>/<name>.<ext>`, in this order.',
      },
      seed: {
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        default: 0,
        description: 'Seed of the shuffle: the same input and seed give byte-identical files on any machine.',
      },
      stratify: {
        type: 'string',
        description:
          'Class column: every class is split by the ratios on its own (largest-remainder rounding), so class proportions are kept.',
      },
      group: {
        type: 'string',
        description:
          'Group column (e.g. the source row id of augmented copies): all rows of a group land in the same split; ratios then count groups.',
      },
      format: {
        type: 'string',
        enum: TABLE_FORMATS,
        description: 'Table format when the input extension does not say; outputs use the same format.',
      },
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [];
    const ratios = options.ratios ?? {};
    const names = Object.keys(ratios);
    const sum = Object.values(ratios).reduce((a, b) => a + b, 0);
    if (names.length === 0) {
      problems.push({ code: 'E_SPLIT_RATIOS_EMPTY', path: ['ratios'], message: 'ratios names no split', hint: 'e.g. ratios: { train: 0.8, test: 0.2 }' });
    } else if (Math.abs(sum - 1) > 1e-9) {
      problems.push({
        code: 'E_SPLIT_RATIOS_SUM',
        path: ['ratios'],
        message: `ratios must sum to 1, but ${names.map((n) => `${n}: ${ratios[n]}`).join(' + ')} = ${Number(sum.toFixed(12))}`,
        hint: 'adjust the shares so they add up to 1',
      });
    }
    if (names.length > 255) problems.push({ code: 'E_SPLIT_TOO_MANY', path: ['ratios'], message: 'at most 255 splits' });
    for (const name of names.filter((n) => !SPLIT_NAME.test(n))) {
      problems.push({
        code: 'E_SPLIT_NAME',
        path: ['ratios', name],
        message: `split name "${name}" cannot be a file name`,
        hint: 'use letters, digits, "_" and "-"',
      });
    }
    const { outs } = stage;
    if (stage.deps.length !== 1 || outs.length !== 1) {
      problems.push({
        code: 'E_SPLIT_ARITY',
        path: [],
        message: `split reads one table into one folder: it needs exactly 1 dep and 1 out (got ${stage.deps.length} and ${outs.length})`,
      });
    }
    return problems;
  },
  errors: SPLIT_ERRORS,
  runner: new URL('./run.js', import.meta.url).href,
};
