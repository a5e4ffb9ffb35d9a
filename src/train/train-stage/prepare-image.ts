import { join, relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import type { StageContext } from '../../core/builtin.js';
import type { ClassifierInfo } from '../classifier.js';
import { channelStats } from '../image/standardize.js';
import { inputOf, readPreprocess, type ImageInput } from '../image/preprocess.js';
import { decodeSplit, imageSplitDataset, manifestOf, readImageSplit } from '../inputs/image.js';
import { buildImageModel } from '../model/build.js';
import { optionPath } from '../stage-paths.js';
import { classesOf, trainTables } from './inputs.js';
import type { TrainOptions } from './options.js';
import type { Prepared } from './prepared.js';

/**
 * Images (CONTRACT-image-train.md): split rows name images relative to `images:`; the train rows
 * may instead come from `train_images:` (its manifest.csv). Pixels are decoded with sharp and
 * scaled as preprocess.json says; standardization statistics come from the train images only.
 */
export async function prepareImage(ctx: StageContext<TrainOptions>): Promise<Prepared> {
  const o = ctx.options;
  const images = optionPath(ctx.wdir, o.images!);
  const pre = await readPreprocess(ctx.root, images);
  const base = inputOf(pre, o, relative(ctx.root, join(images, 'preprocess.json')));
  const trainFolder = o.train_images !== undefined ? optionPath(ctx.wdir, o.train_images) : undefined;
  if (trainFolder !== undefined) await sameScaling(ctx.root, trainFolder, pre);
  const tables = trainTables(ctx, trainFolder && manifestOf(trainFolder));
  const train = await readImageSplit(ctx.root, tables.train, trainFolder ?? images, o.path_column, o.label_column);
  const val = tables.val !== undefined ? await readImageSplit(ctx.root, tables.val, images, o.path_column, o.label_column) : undefined;
  const classes = classesOf(train.labels, train.file);

  const trainPixels = await decodeSplit(train, base);
  const valPixels = val ? await decodeSplit(val, base) : undefined;
  const input: ImageInput = base.scale === 'standardize' ? { ...base, ...channelStats(trainPixels, base.channels) } : base;
  ctx.log(`images: ${train.paths.length} train${val ? `, ${val.paths.length} val` : ''}, ${input.width}×${input.height}×${input.channels}, scale ${input.scale}`);
  const info: ClassifierInfo = { version: 1, task: 'image-classification', labels: classes, label_column: o.label_column, path_column: o.path_column, input };
  return {
    classes,
    info,
    files: {},
    inputs: { width: input.width, height: input.height, channels: input.channels, scale: input.scale },
    train: { file: train.file, labels: train.labels },
    ...(val ? { val: { file: val.file, labels: val.labels } } : {}),
    datasets: (tf) => ({
      train: imageSplitDataset(tf, train, trainPixels, input, classes),
      ...(val && valPixels ? { val: imageSplitDataset(tf, val, valPixels, input, classes) } : {}),
    }),
    build: (tf) =>
      buildImageModel(tf, [input.height, input.width, input.channels], classes.length, { conv_filters: o.conv_filters, hidden: o.hidden ?? [], dropout: o.dropout }, o.seed),
  };
}

/** Augmented train images must be scaled like the val/test images they are compared with. */
async function sameScaling(root: string, folder: string, pre: Awaited<ReturnType<typeof readPreprocess>>): Promise<void> {
  const other = await readPreprocess(root, folder);
  const differs = (['channels', 'scale', 'width', 'height'] as const).filter((k) => other[k] !== pre[k]);
  if (differs.length === 0) return;
  throw new DvctsError('E_PREPROCESS_MISMATCH', `train_images and images were preprocessed differently (${differs.join(', ')})`, {
    data: { folder: relative(root, folder), differs },
    hint: 'give both image stages the same normalize options',
  });
}
