import { optionFileIsDep } from '../../table/stage-tables.js';
import { SHARDS_OPTION, type BuiltinDefinition, type OptionProblem } from '../../core/builtin.js';
import { IMAGE_ERRORS } from './errors.js';
import { OP_ITEM_SCHEMA } from './op-schemas.js';
import { isRandomOp, parseOps, type OpItem } from './ops.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageOptions {
  readonly ops: readonly OpItem[];
  readonly copies: number;
  readonly keep_original: boolean;
  readonly seed: number | string;
  readonly format: ImageFormat;
  readonly quality?: number;
  readonly concurrency?: number;
  readonly on_error: 'fail' | 'skip';
  readonly images?: string;
  readonly shards?: number | 'auto';
}

/** Part of every per-item key and of the stage fingerprint: bump when outputs change for the same input. */
export const IMAGE_VERSION = '1';

export const imageStage: BuiltinDefinition<ImageOptions> = {
  name: 'image',
  version: IMAGE_VERSION,
  description:
    'Albumentations-style image ops with sharp (normalize, crop, jitter, flip, rotate) over a <label>/<file> folder or an ' +
    'image manifest; writes the images, manifest.csv and preprocess.json. Incremental: each output is cached per source ' +
    'image, so adding one image processes one image.',
  options: {
    type: 'object',
    properties: {
      ops: {
        type: 'array',
        items: OP_ITEM_SCHEMA,
        default: [],
        description: 'Operations applied in order, e.g. [{normalize: {width: 32, height: 32, colorspace: grey}}, {jitter: {}}].',
      },
      copies: { type: 'integer', minimum: 0, default: 0, description: 'Augmented copies per source image (copy 1..copies), each with its own randomness.' },
      keep_original: {
        type: 'boolean',
        default: true,
        description: 'Also write copy 0: the source with only the non-random ops (a random crop becomes a centre crop).',
      },
      seed: {
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        default: 0,
        description: 'Randomness of each output comes from (seed, source path + content id, copy index) alone.',
      },
      format: { type: 'string', enum: ['png', 'jpeg', 'webp'], default: 'png', description: 'Format of the written images.' },
      quality: { type: 'integer', minimum: 1, maximum: 100, description: 'jpeg/webp quality (default 90).' },
      concurrency: {
        type: 'integer',
        minimum: 1,
        description: 'Images in flight (default: CPU cores); sharp gets cores / concurrency threads each. Outputs do not depend on it.',
      },
      on_error: {
        type: 'string',
        enum: ['fail', 'skip'],
        default: 'fail',
        description: 'An unreadable file (not an image, truncated, empty): fail names every one with the reason; skip leaves them out and lists them.',
      },
      images: {
        type: 'string',
        description:
          'Manifest input: read the CSV/TSV/JSONL dep (columns path, label, optional source) instead of a folder; `path` is ' +
          'relative to this image folder, which must be a dep too. E.g. augment only datasets/images/splits/train.csv.',
      },
      shards: SHARDS_OPTION,
    },
  },
  check(options, stage) {
    const problems: OptionProblem[] = [];
    if (options.copies === 0 && !options.keep_original) {
      problems.push({
        code: 'E_IMAGE_NO_OUTPUT',
        path: ['copies'],
        message: 'with copies: 0 and keep_original: false the stage would write no image',
        hint: 'set copies >= 1 or keep_original: true',
      });
    }
    if (options.copies > 0 && !parseOps(options.ops).some(isRandomOp)) {
      problems.push({
        code: 'E_IMAGE_NO_RANDOM_OP',
        path: ['copies'],
        message: `copies: ${options.copies} but no op is random, so every copy would equal the original`,
        hint: 'add jitter, flip, rotate or a random crop to `ops`, or set copies: 0',
      });
    }
    if (options.quality !== undefined && options.format === 'png') {
      problems.push({ code: 'E_OPTION_UNUSED', path: ['quality'], message: '`quality` has no effect on png (lossless)', hint: 'remove it, or set format: jpeg or webp' });
    }
    options.ops.forEach((item, i) => problems.push(...rangeProblems(item, i)));
    const inputs = options.images === undefined ? 1 : 2;
    if (stage.deps.length !== inputs || stage.outs.length !== 1) {
      problems.push({
        code: 'E_IMAGE_ARITY',
        path: [],
        message:
          options.images === undefined
            ? `image reads one <label>/<file> folder into one folder: it needs exactly 1 dep and 1 out (got ${stage.deps.length} and ${stage.outs.length})`
            : `with \`images:\` the stage reads a manifest and its image folder: it needs exactly 2 deps and 1 out (got ${stage.deps.length} and ${stage.outs.length})`,
      });
    }
    problems.push(...optionFileIsDep('images', options.images, stage.deps));
    return problems;
  },
  errors: IMAGE_ERRORS,
  // Unchanged output images of the previous run are linked into the new output folder, not rewritten.
  incrementalOutputs: true,
  runner: new URL('./run.js', import.meta.url).href,
};

/** A [lo, hi] pair must have lo <= hi (the schema checks the count and bounds). */
function rangeProblems(item: OpItem, index: number): OptionProblem[] {
  const [name, o] = Object.entries(item)[0] ?? [];
  if (name === undefined || o === undefined) return [];
  return Object.entries(o)
    .filter(([, v]) => Array.isArray(v) && (v[0] as number) > (v[1] as number))
    .map(([key, v]) => ({
      code: 'E_IMAGE_RANGE',
      path: ['ops', index, name, key],
      message: `${name}.${key} [${(v as number[]).join(', ')}] is not a range: the first number must not exceed the second`,
      hint: `write [${[...(v as number[])].reverse().join(', ')}]`,
    }));
}
