import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';

/** The example's ~2,000 real Tang and Song poems (shipped in GBK), as UTF-8 CSV text. */
export function poemsCsv(): string {
  return iconv.decode(readFileSync(join(import.meta.dirname, '..', '..', 'datasets/raw/poems.gbk.csv')), 'gbk');
}

/**
 * A pipeline that splits the poems 7:1:2 and trains a character n-gram linear model on them:
 * seconds on wasm, hard enough that guessing the majority fails. `trainTail` holds the train
 * stage's last `with:` lines (lr, seed, backend, ...) and any stages after it, indented as YAML.
 */
export function poemsTrainPipeline(trainTail: string): string {
  return `
stages:
  split:
    uses: split
    deps: [data/poems.csv]
    outs: [splits]
    with: { seed: 42, stratify: dynasty }
  train:
    uses: train
    deps: [splits]
    outs: [model]
    metrics: [metrics/train.json]
    plots: [metrics/curves.csv]
    params: [train]
    with:
      task: text-classification
      label_column: dynasty
      char_ngrams: [1, 2]
      word_ngrams: []
      max_features: 2000
      epochs: \${train.epochs}
      batch_size: 64
${trainTail}`;
}
