import { relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import type { StageContext } from '../../core/builtin.js';
import type { Tf } from '../backend/tf.js';
import type { ClassifierInfo } from '../classifier.js';
import { readColumns } from '../data/read-table.js';
import { decodeSplit, imageSplitDataset, readImageSplit } from '../inputs/image.js';
import { readTextSplit, textSplitDataset } from '../inputs/text.js';
import type { Dataset } from '../model/fit.js';
import { isFolder, missingInput, optionPath, tableIn } from '../stage-paths.js';
import type { FittedFeaturizer } from '../text/featurizer.js';
import type { EvaluateOptions } from './definition.js';

/** The split to score, read as the model's task needs. */
export interface EvaluationSplit {
  readonly file: string;
  readonly labels: readonly string[];
  /** Values of `id_column`, when given. */
  readonly ids?: readonly string[];
  dataset(tf: Tf): Dataset;
}

export interface EvaluationInputs {
  readonly model: string;
  read(info: ClassifierInfo, featurizer: FittedFeaturizer | undefined): Promise<EvaluationSplit>;
}

/** `model:` (default: the first dep) and `data:` (default: the first other dep; a folder means `<split>.<ext>` in it). */
export async function evaluationInputs(ctx: StageContext<EvaluateOptions>): Promise<EvaluationInputs> {
  const o = ctx.options;
  const model = o.model !== undefined ? optionPath(ctx.wdir, o.model) : ctx.deps[0]!;
  const data = o.data !== undefined ? optionPath(ctx.wdir, o.data) : ctx.deps.find((d) => d !== model);
  if (data === undefined) throw missingInput('split to evaluate', '(no dep besides the model)', 'give `data:` and list it in deps');
  const table = isFolder(data) ? tableIn(data, o.split) : data;
  if (table === undefined) throw missingInput(`${o.split} split`, `${relative(ctx.root, data)}/${o.split}.csv|tsv|jsonl`, 'set `split:` to the name of a table in that folder, or point `data:` at a table');
  return {
    model,
    async read(info, featurizer) {
      const ids = o.id_column !== undefined ? (await readColumns(ctx.root, table, [{ name: o.id_column, option: 'id_column', required: false }])).values[o.id_column] : undefined;
      const withIds = ids ? { ids } : {};
      if (info.task === 'text-classification') {
        const split = await readTextSplit(ctx.root, table, info.text_column, info.label_column);
        return { file: split.file, labels: split.labels, ...withIds, dataset: (tf) => textSplitDataset(tf, split, featurizer!, info.labels) };
      }
      if (o.images === undefined) {
        throw new DvctsError('E_EVALUATE_IMAGES_MISSING', 'this is an image model: evaluate needs `images:`, the folder the split\'s image paths are relative to', {
          data: { model: relative(ctx.root, model) },
        });
      }
      const split = await readImageSplit(ctx.root, table, optionPath(ctx.wdir, o.images), info.path_column, info.label_column);
      const pixels = await decodeSplit(split, info.input);
      return { file: split.file, labels: split.labels, ...withIds, dataset: (tf) => imageSplitDataset(tf, split, pixels, info.input, info.labels) };
    },
  };
}
