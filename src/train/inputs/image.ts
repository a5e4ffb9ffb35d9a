import { join } from 'node:path';
import type { Tf } from '../backend/tf.js';
import { imageDataset } from '../data/datasets.js';
import { readColumns } from '../data/read-table.js';
import { decodeImages } from '../image/decode.js';
import type { ImageInput } from '../image/preprocess.js';
import { standardizeInPlace } from '../image/standardize.js';
import type { Dataset } from '../model/fit.js';
import { labelIndices } from './text.js';

/** An image split: manifest rows (path relative to `folder`) and their classes. */
export interface ImageSplit {
  readonly file: string;
  readonly folder: string;
  readonly paths: readonly string[];
  readonly labels: readonly string[];
  readonly lines: readonly number[];
}

/** Reads a split table (or an image stage's manifest.csv) whose paths are relative to `folder`. */
export async function readImageSplit(root: string, table: string, folder: string, pathColumn: string, labelColumn: string): Promise<ImageSplit> {
  const t = await readColumns(root, table, [
    { name: pathColumn, option: 'path_column', required: true },
    { name: labelColumn, option: 'label_column', required: true },
  ]);
  return { file: t.file, folder, paths: t.values[pathColumn]!, labels: t.values[labelColumn]!, lines: t.lines };
}

export function manifestOf(folder: string): string {
  return join(folder, 'manifest.csv');
}

/** Decoded pixels (value/255) of a split, in row order. */
export function decodeSplit(split: ImageSplit, input: Pick<ImageInput, 'width' | 'height' | 'channels'>): Promise<Float32Array> {
  return decodeImages(
    split.paths.map((path, i) => ({ folder: split.folder, path, file: split.file, line: split.lines[i]! })),
    input,
  );
}

/** The dataset of decoded pixels, standardized first when the input says so. */
export function imageSplitDataset(tf: Tf, split: ImageSplit, pixels: Float32Array, input: ImageInput, classes: readonly string[]): Dataset {
  if (input.scale === 'standardize') standardizeInPlace(pixels, input.mean!, input.std!);
  return imageDataset(tf, pixels, [input.height, input.width, input.channels], labelIndices(split.labels, classes), classes.length);
}
