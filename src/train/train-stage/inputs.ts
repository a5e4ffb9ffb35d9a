import { relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import type { StageContext } from '../../core/builtin.js';
import { isFolder, missingInput, optionPath, tableIn } from '../stage-paths.js';
import type { TrainOptions } from './options.js';

/** The train and val tables a train stage reads (absolute paths). */
export interface TrainTables {
  readonly train: string;
  readonly val?: string;
}

/**
 * `train:` / `val:` when given; else `train.<ext>` / `val.<ext>` in the `data:` folder (default:
 * the first dep). A missing val split is allowed (no val metrics, no early stopping).
 * `trainOverride` replaces the train table (an image stage's manifest of augmented train images).
 */
export function trainTables(ctx: StageContext<TrainOptions>, trainOverride?: string): TrainTables {
  const o = ctx.options;
  const data = o.data !== undefined ? optionPath(ctx.wdir, o.data) : ctx.deps[0]!;
  const folder = isFolder(data) ? data : undefined;
  const hint = 'give `data:` (a folder with train/val files) or `train:` / `val:` (tables), and list them in deps';
  const train = trainOverride ?? (o.train !== undefined ? optionPath(ctx.wdir, o.train) : folder && tableIn(folder, 'train'));
  if (train === undefined) throw missingInput('train split', folder ? `${relative(ctx.root, folder)}/train.csv|tsv|jsonl` : relative(ctx.root, data), hint);
  const val = o.val !== undefined ? optionPath(ctx.wdir, o.val) : folder && tableIn(folder, 'val');
  return { train, ...(val !== undefined ? { val } : {}) };
}

/** The classes of the train split, sorted (the model's output order). */
export function classesOf(labels: readonly string[], file: string): string[] {
  const classes = [...new Set(labels)].sort();
  if (labels.length === 0) throw new DvctsError('E_TRAIN_EMPTY', `${file} has no rows to train on`, { data: { file } });
  if (classes.length < 2) {
    throw new DvctsError('E_TRAIN_ONE_CLASS', `${file} has only one class (${JSON.stringify(classes[0])}): nothing to learn`, {
      data: { file, classes },
      hint: 'check label_column, and that the split is stratified',
    });
  }
  return classes;
}

/** Val rows whose class the train split does not have (they can never be predicted right). */
export function unknownClassCount(labels: readonly string[], classes: readonly string[]): number {
  const known = new Set(classes);
  return labels.filter((l) => !known.has(l)).length;
}
