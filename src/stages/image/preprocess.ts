import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { preprocessInvalidError } from './errors.js';
import type { Colorspace, Op } from './ops.js';

export const PREPROCESS_FILE = 'preprocess.json';

/**
 * What a trainer must do with the pixels of an output folder (the contract with `train`):
 * channels and colour space, the one size every image has (null when the ops do not fix one),
 * and the scaling: "unit" = value / 255, "standardize" = then (x - mean[c]) / std[c] with mean
 * and std computed by the trainer over the train split only.
 */
export interface Preprocess {
  readonly channels: 1 | 3;
  readonly colorspace: Colorspace;
  readonly width: number | null;
  readonly height: number | null;
  readonly scale: 'unit' | 'standardize';
  readonly version: 1;
}

export const SOURCE_DEFAULT: Preprocess = { channels: 3, colorspace: 'srgb', width: null, height: null, scale: 'unit', version: 1 };

/** The state after the ops, starting from `start` (the defaults, or what the input folder says). */
export function preprocessAfter(ops: readonly Op[], start: Preprocess): Preprocess {
  let p = start;
  for (const op of ops) {
    if (op.kind === 'normalize') {
      const fixed = op.width !== undefined && op.height !== undefined && op.fit !== 'inside';
      p = {
        ...p,
        colorspace: op.colorspace,
        channels: op.colorspace === 'grey' ? 1 : 3,
        width: fixed ? (op.width as number) : op.width === undefined && op.height === undefined ? p.width : null,
        height: fixed ? (op.height as number) : op.width === undefined && op.height === undefined ? p.height : null,
        scale: op.stats ? 'standardize' : 'unit',
      };
    } else if (op.kind === 'crop') {
      p = { ...p, width: op.width, height: op.height };
    }
  }
  return p;
}

/**
 * The preprocess.json of a folder written by an earlier image stage (manifest input), so a second
 * stage keeps its colour space, size and scaling; the defaults when the folder has none.
 */
export async function inheritedPreprocess(imagesDir: string, shownAs: string): Promise<Preprocess> {
  let text: string;
  try {
    text = await readFile(join(imagesDir, PREPROCESS_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return SOURCE_DEFAULT;
    throw e;
  }
  let p: Partial<Record<keyof Preprocess, unknown>>;
  try {
    p = JSON.parse(text) as typeof p;
  } catch (e) {
    throw preprocessInvalidError(shownAs, (e as Error).message);
  }
  if (p.colorspace !== 'grey' && p.colorspace !== 'srgb') throw preprocessInvalidError(shownAs, 'colorspace must be "grey" or "srgb"');
  if (p.scale !== 'unit' && p.scale !== 'standardize') throw preprocessInvalidError(shownAs, 'scale must be "unit" or "standardize"');
  const size = (v: unknown): number | null => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : null);
  return { channels: p.colorspace === 'grey' ? 1 : 3, colorspace: p.colorspace, width: size(p.width), height: size(p.height), scale: p.scale, version: 1 };
}

/** Sorted keys, one line: the file's bytes depend on its values only. */
export function preprocessJson(p: Preprocess): string {
  const sorted = Object.fromEntries(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify(sorted)}\n`;
}
