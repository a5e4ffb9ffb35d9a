import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';

/**
 * `preprocess.json` of an `image` stage output (CONTRACT-image-train.md): what the trainer does to
 * pixels. `width`/`height` null = the images have no single size (the stage resizes them, with
 * sharp's `fill`, to its own width/height options).
 */
export interface Preprocess {
  readonly version: 1;
  readonly channels: 1 | 3;
  readonly width: number | null;
  readonly height: number | null;
  readonly scale: 'unit' | 'standardize';
}

/** What the model's input is: saved in classifier.json so evaluate decodes images the same way. */
export interface ImageInput {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly scale: 'unit' | 'standardize';
  /** standardize: per-channel mean and standard deviation of value/255 over the TRAIN images. */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

export async function readPreprocess(root: string, folder: string): Promise<Preprocess> {
  const path = join(folder, 'preprocess.json');
  const file = relative(root, path);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw invalid(file, missing ? 'the file is missing' : `not JSON: ${(e as Error).message}`, missing ? '`images:` must name the output folder of an `image` stage' : undefined);
  }
  const p = value as Record<string, unknown>;
  if (p === null || typeof p !== 'object') throw invalid(file, 'not a JSON object');
  if (p.version !== 1) throw invalid(file, `version ${JSON.stringify(p.version)} is not supported (this dvcts reads version 1)`);
  if (p.channels !== 1 && p.channels !== 3) throw invalid(file, `channels must be 1 or 3, got ${JSON.stringify(p.channels)}`);
  if (p.scale !== 'unit' && p.scale !== 'standardize') throw invalid(file, `scale must be "unit" or "standardize", got ${JSON.stringify(p.scale)}`);
  for (const key of ['width', 'height'] as const) {
    const v = p[key];
    if (v !== null && !(Number.isInteger(v) && (v as number) > 0)) throw invalid(file, `${key} must be a positive integer or null, got ${JSON.stringify(v)}`);
  }
  return { version: 1, channels: p.channels, width: p.width as number | null, height: p.height as number | null, scale: p.scale };
}

/** The input size: preprocess.json's when it fixes one, else the stage's width/height options. */
export function inputOf(pre: Preprocess, options: { width?: number; height?: number }, file: string): Omit<ImageInput, 'mean' | 'std'> {
  const width = pre.width ?? options.width;
  const height = pre.height ?? options.height;
  if (width === undefined || height === undefined) {
    throw new DvctsError('E_IMAGE_SIZE_UNKNOWN', `${file} does not fix one image size (width/height are null)`, {
      data: { file },
      hint: 'give the train stage `width:` and `height:` to resize every image to',
    });
  }
  return { width, height, channels: pre.channels, scale: pre.scale };
}

function invalid(file: string, why: string, hint?: string): DvctsError {
  return new DvctsError('E_PREPROCESS_INVALID', `${file}: ${why}`, { data: { file, why }, hint: hint ?? 'regenerate it with the `image` stage' });
}
