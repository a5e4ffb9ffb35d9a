import type { StageContext } from '../../core/builtin.js';
import type { ClassifierInfo } from '../classifier.js';
import { FEATURIZER_FILE } from '../classifier.js';
import { readTextSplit, textSplitDataset } from '../inputs/text.js';
import { buildTextModel } from '../model/build.js';
import { fitFeaturizer, type FeaturizerConfig } from '../text/featurizer.js';
import { classesOf, trainTables } from './inputs.js';
import type { TrainOptions } from './options.js';
import type { Prepared } from './prepared.js';

/** Text: read the splits, learn the featurizer from the train split only, build a linear model or MLP. */
export async function prepareText(ctx: StageContext<TrainOptions>): Promise<Prepared> {
  const o = ctx.options;
  const tables = trainTables(ctx);
  const train = await readTextSplit(ctx.root, tables.train, o.text_column, o.label_column);
  const val = tables.val !== undefined ? await readTextSplit(ctx.root, tables.val, o.text_column, o.label_column) : undefined;
  const classes = classesOf(train.labels, train.file);
  const featurizer = fitFeaturizer(train.texts, featurizerConfig(o));
  ctx.log(`featurizer: ${featurizer.dim} features (${o.vocabulary === 'train' ? 'vocabulary of the train split' : 'hashed'}, ${o.weighting})`);
  const info: ClassifierInfo = { version: 1, task: 'text-classification', labels: classes, label_column: o.label_column, text_column: o.text_column };
  const model = o.model === 'mlp' ? 'mlp' : 'linear';
  return {
    classes,
    info,
    files: { [FEATURIZER_FILE]: `${JSON.stringify(featurizer)}\n` },
    inputs: { features: featurizer.dim },
    train: { file: train.file, labels: train.labels },
    ...(val ? { val: { file: val.file, labels: val.labels } } : {}),
    datasets: (tf) => ({
      train: textSplitDataset(tf, train, featurizer, classes),
      ...(val ? { val: textSplitDataset(tf, val, featurizer, classes) } : {}),
    }),
    build: (tf) => buildTextModel(tf, featurizer.dim, classes.length, { model, hidden: o.hidden ?? [64], dropout: o.dropout }, o.seed),
  };
}

export function featurizerConfig(o: TrainOptions): FeaturizerConfig {
  const range = (r: readonly number[]): [number, number] | undefined => (r.length === 2 ? [r[0]!, r[1]!] : undefined);
  const char = range(o.char_ngrams);
  const word = range(o.word_ngrams);
  return {
    ...(char ? { char_ngrams: char } : {}),
    ...(word ? { word_ngrams: word } : {}),
    vocabulary: o.vocabulary,
    max_features: o.max_features,
    min_df: o.min_df,
    hash_dim: o.hash_dim,
    weighting: o.weighting,
  };
}
