import type { Tf } from '../backend/tf.js';
import { textDataset } from '../data/datasets.js';
import { readColumns } from '../data/read-table.js';
import type { Dataset } from '../model/fit.js';
import { vectorizer, type FittedFeaturizer } from '../text/featurizer.js';

/** A text split read from its table: the raw columns, and the class index of each row (-1: unknown class). */
export interface TextSplit {
  readonly file: string;
  readonly texts: readonly string[];
  readonly labels: readonly string[];
  readonly lines: readonly number[];
}

export async function readTextSplit(root: string, path: string, textColumn: string, labelColumn: string): Promise<TextSplit> {
  const table = await readColumns(root, path, [
    { name: textColumn, option: 'text_column', required: false },
    { name: labelColumn, option: 'label_column', required: true },
  ]);
  return { file: table.file, texts: table.values[textColumn]!, labels: table.values[labelColumn]!, lines: table.lines };
}

export function labelIndices(labels: readonly string[], classes: readonly string[]): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (l) => index.get(l) ?? -1);
}

export function textSplitDataset(tf: Tf, split: TextSplit, featurizer: FittedFeaturizer, classes: readonly string[]): Dataset {
  const vectorize = vectorizer(featurizer);
  return textDataset(tf, split.texts.map(vectorize), labelIndices(split.labels, classes), featurizer.dim, classes.length);
}
