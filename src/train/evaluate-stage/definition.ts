import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { BACKENDS, type BackendChoice } from '../backend/names.js';
import { optionPathsInDeps } from '../stage-paths.js';

export interface EvaluateOptions {
  readonly model?: string;
  readonly data?: string;
  readonly split: string;
  readonly images?: string;
  readonly id_column?: string;
  readonly batch_size: number;
  readonly backend: BackendChoice;
}

export const evaluateStage: BuiltinDefinition<EvaluateOptions> = {
  name: 'evaluate',
  version: '1',
  description:
    'Evaluates a model folder written by `train` on a held-out split: accuracy, macro/micro/weighted F1, per-class ' +
    'precision/recall/F1/support and the confusion matrix (the first .json metrics file), and every prediction (an ' +
    'out ending in .csv: actual,predicted, for a confusion plot).',
  options: {
    type: 'object',
    properties: {
      model: { type: 'string', description: 'Model folder (the first out of a train stage). Default: the first dep.' },
      data: { type: 'string', description: 'The split to evaluate on: a table, or a folder holding `<split>.csv|tsv|jsonl`. Default: the first dep that is not the model.' },
      split: { type: 'string', default: 'test', description: 'Which table of a `data:` folder to read.' },
      images: { type: 'string', description: 'image models: folder the split\'s image paths are relative to (an `image` stage output).' },
      id_column: { type: 'string', description: 'Column copied to the predictions file to identify each row. Default: the 0-based row number (`row`).' },
      batch_size: { type: 'integer', minimum: 1, default: 256, description: 'Rows per prediction batch (memory only: results do not depend on it).' },
      backend: { type: 'string', enum: ['auto', ...BACKENDS], default: 'auto', description: 'As for train: auto, or a backend that must be used.' },
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [...optionPathsInDeps(options as unknown as Record<string, unknown>, ['model', 'data', 'images'], stage.deps)];
    const named = [options.model, options.data].filter((p) => p !== undefined).length;
    if (stage.deps.length < 2 - named) {
      problems.push({ code: 'E_STAGE_FILES', path: [], message: 'evaluate needs the model folder and the split as deps', hint: 'e.g. deps: [models/poems, datasets/splits/test.csv]' });
    }
    return problems;
  },
  runner: new URL('./run.js', import.meta.url).href,
};
