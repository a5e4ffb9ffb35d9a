import type { BuiltinDefinition, OptionProblem } from '../../core/builtin.js';
import { optionPathsInDeps } from '../stage-paths.js';
import { IMAGE_ONLY, TEXT_ONLY, trainOptionSchema, type TrainOptions } from './options.js';

export const trainStage: BuiltinDefinition<TrainOptions> = {
  name: 'train',
  version: '2',
  description:
    'Trains a TensorFlow.js classifier on versioned splits: text (character/word n-grams, a linear model or an MLP; ' +
    'works for Chinese) or images from an `image` stage (a small CNN). Writes a model folder (first out), a metrics ' +
    'JSON (first .json metrics file) and per-epoch curves (an out ending in .csv, e.g. under plots:).',
  options: trainOptionSchema,
  check(options, stage) {
    const problems: OptionProblem[] = [];
    const image = options.task === 'image-classification';
    const given = options as unknown as Record<string, unknown>;
    const rawGiven = (key: string): boolean => given[key] !== undefined && JSON.stringify(given[key]) !== JSON.stringify(trainOptionSchema.properties?.[key]?.default);
    for (const key of image ? TEXT_ONLY : IMAGE_ONLY) {
      if (rawGiven(key)) problems.push(unused(key, `it applies to ${image ? 'text' : 'image'} tasks only`));
    }
    if (image && options.images === undefined) {
      problems.push({ code: 'E_OPTION_MISSING', path: [], message: 'image-classification needs `images:`, the folder of an `image` stage output', hint: 'e.g. images: datasets/images/processed (and list it in deps)' });
    }
    if (options.model !== undefined && (options.model === 'cnn') !== image) {
      problems.push({ code: 'E_OPTION_VALUE', path: ['model'], message: `model ${options.model} does not fit ${options.task}`, hint: image ? 'use model: cnn' : 'use model: linear or mlp' });
    }
    if (!image) {
      for (const key of ['char_ngrams', 'word_ngrams'] as const) problems.push(...ngramProblems(key, options[key]));
      if (options.char_ngrams?.length === 0 && options.word_ngrams?.length === 0) {
        problems.push({ code: 'E_OPTION_VALUE', path: ['char_ngrams'], message: 'no features: char_ngrams and word_ngrams are both empty' });
      }
    }
    problems.push(...optionPathsInDeps(given, ['data', 'train', 'val', 'images', 'train_images'], stage.deps));
    if (stage.deps.length === 0) problems.push({ code: 'E_STAGE_FILES', path: [], message: 'train needs its splits in `deps`', hint: 'e.g. deps: [datasets/splits]' });
    if (stage.outs.length === 0) problems.push({ code: 'E_STAGE_FILES', path: [], message: 'train needs the model folder as its first out', hint: 'e.g. outs: [models/poems]' });
    return problems;
  },
  runner: new URL('./run.js', import.meta.url).href,
};

function ngramProblems(key: string, range: readonly number[] | undefined): OptionProblem[] {
  if (range === undefined || range.length === 0) return [];
  if (range.length === 2 && range[0]! <= range[1]!) return [];
  return [{ code: 'E_OPTION_VALUE', path: [key], message: `\`${key}\` must be [min, max] with min ≤ max, or [] for none; got ${JSON.stringify(range)}` }];
}

function unused(option: string, why: string): OptionProblem {
  return { code: 'E_OPTION_UNUSED', path: [option], message: `\`${option}\` has no effect here: ${why}`, hint: `remove \`${option}\`, or change \`task:\`` };
}
