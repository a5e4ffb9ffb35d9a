import type { ImageFormat, ImageOptions } from './definition.js';
import { IMAGE_VERSION } from './definition.js';
import { isRandomOp, splitAtFirstRandom, type Colorspace, type Op } from './ops.js';
import { SHARP_VERSIONS } from './sharp-steps.js';

const DEFAULT_QUALITY = 90;

/** How every source is turned into outputs: the same for the whole run. */
export interface Plan {
  /** Ops up to the first random one: computed once per source, shared by its copies. */
  readonly shared: readonly Op[];
  readonly perCopy: readonly Op[];
  /** Copy indices written per source: 0 (the original, when kept), then 1..copies. */
  readonly copies: readonly number[];
  readonly seed: number | string;
  readonly format: ImageFormat;
  readonly quality: number;
  /** Colour space decoded images start in (what a previous image stage wrote, or srgb). */
  readonly colorspace: Colorspace;
  /**
   * Canonical JSON of everything besides the source that decides an output's bytes: the per-item
   * cache key's config part (the seed only when an op is random, quality only when lossy).
   */
  readonly config: string;
}

export function planOf(opts: ImageOptions, ops: readonly Op[], colorspace: Colorspace): Plan {
  const quality = opts.quality ?? DEFAULT_QUALITY;
  const seed = ops.some(isRandomOp) ? String(opts.seed) : null;
  return {
    ...splitAtFirstRandom(ops),
    copies: [...(opts.keep_original ? [0] : []), ...Array.from({ length: opts.copies }, (_, i) => i + 1)],
    seed: opts.seed,
    format: opts.format,
    quality,
    colorspace,
    config: JSON.stringify([IMAGE_VERSION, SHARP_VERSIONS, ops, seed, opts.format, opts.format === 'png' ? null : quality, colorspace]),
  };
}
