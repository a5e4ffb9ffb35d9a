import type { OptionSchema } from '../../core/builtin.js';

/**
 * The `with.ops` list: an ordered list of single-key objects, Albumentations `Compose` style
 * (`- normalize: {...}`, `- jitter: {...}`). Each key's schema is below; defaults follow
 * Albumentations where it has the same transform (ColorJitter, HorizontalFlip, Rotate).
 */
const colour: OptionSchema = {
  type: 'string',
  description: 'A CSS colour (#000000, "white", "rgb(0,0,0)") filling uncovered pixels; alpha is ignored.',
};

/** A factor spread: `x` means [max(0, 1 - x), 1 + x]; a pair [lo, hi] is taken as is. */
const factorRange = (what: string, fallback: number): OptionSchema => ({
  anyOf: [{ type: 'number', minimum: 0 }, { type: 'array', items: { type: 'number', minimum: 0 }, minItems: 2, maxItems: 2 }],
  default: fallback,
  description: `${what} factor: x picks a factor uniformly in [max(0, 1-x), 1+x]; [lo, hi] picks it in [lo, hi]. 0 leaves it alone.`,
});

export const OP_SCHEMAS: Readonly<Record<string, OptionSchema>> = {
  normalize: {
    type: 'object',
    description: 'Resize and convert every image to one size and colour space; records the pixel scaling in preprocess.json.',
    properties: {
      width: { type: 'integer', minimum: 1, description: 'Target width in pixels (alone: height keeps the aspect ratio).' },
      height: { type: 'integer', minimum: 1, description: 'Target height in pixels (alone: width keeps the aspect ratio).' },
      fit: {
        type: 'string',
        enum: ['cover', 'contain', 'fill', 'inside'],
        default: 'cover',
        description:
          'cover: fill width x height and crop the overflow (centred); contain: fit inside and pad with `background`; ' +
          'fill: stretch; inside: fit inside, no padding (sizes then vary).',
      },
      background: { ...colour, default: '#000000' },
      colorspace: { type: 'string', enum: ['srgb', 'grey'], default: 'srgb', description: 'srgb: 3 channels; grey: 1 channel. Alpha is flattened onto `background`.' },
      stats: {
        type: 'boolean',
        default: false,
        description:
          'false: the trainer scales pixels to [0,1] (value/255). true: it then standardises each channel with the mean and ' +
          'std it computes over the TRAIN split only (preprocess.json scale: "standardize").',
      },
    },
  },
  crop: {
    type: 'object',
    required: ['width', 'height'],
    description: 'Cut a width x height window; an image smaller than the window is first padded (centred) with black.',
    properties: {
      width: { type: 'integer', minimum: 1, description: 'Window width in pixels.' },
      height: { type: 'integer', minimum: 1, description: 'Window height in pixels.' },
      padding: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Black pixels added on every side first (torchvision RandomCrop padding): a random crop of the image size then shifts it.',
      },
      mode: {
        type: 'string',
        enum: ['center', 'random'],
        default: 'center',
        description: 'center: the middle of the image; random: a seeded random position (originals, copy 0, use the centre).',
      },
    },
  },
  jitter: {
    type: 'object',
    description:
      "Colour jitter with Albumentations' ColorJitter meaning: brightness, contrast, saturation and hue changed in a random " +
      'order, each by a factor drawn from its range. Not applied to originals (copy 0).',
    properties: {
      brightness: factorRange('Brightness', 0.2),
      contrast: factorRange('Contrast', 0.2),
      saturation: factorRange('Saturation', 0.2),
      hue: {
        anyOf: [{ type: 'number', minimum: 0, maximum: 0.5 }, { type: 'array', items: { type: 'number', minimum: -0.5, maximum: 0.5 }, minItems: 2, maxItems: 2 }],
        default: 0.2,
        description: 'Hue shift as a fraction of the colour wheel: x picks a shift in [-x, x] (x <= 0.5); [lo, hi] in [lo, hi].',
      },
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Probability that a copy is jittered at all.' },
    },
  },
  flip: {
    type: 'object',
    description: 'Mirror the image; each enabled axis flips on its own with probability p. Not applied to originals.',
    properties: {
      horizontal: { type: 'boolean', default: true, description: 'Left-right flip.' },
      vertical: { type: 'boolean', default: false, description: 'Top-bottom flip.' },
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Probability of each enabled flip.' },
    },
  },
  rotate: {
    type: 'object',
    required: ['degrees'],
    description: 'Rotate about the centre by a random angle, keeping the size; uncovered corners get `background`. Not applied to originals.',
    properties: {
      degrees: {
        anyOf: [{ type: 'number', minimum: 0, maximum: 180 }, { type: 'array', items: { type: 'number', minimum: -180, maximum: 180 }, minItems: 2, maxItems: 2 }],
        description: 'x picks an angle in [-x, x] degrees; [lo, hi] in [lo, hi].',
      },
      p: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Probability that a copy is rotated.' },
      background: { ...colour, default: '#000000' },
    },
  },
};

export const OP_NAMES = Object.keys(OP_SCHEMAS);

/** One op item: an object whose single key names the op. */
export const OP_ITEM_SCHEMA: OptionSchema = {
  type: 'object',
  description: `One operation: exactly one of ${OP_NAMES.join(', ')}.`,
  properties: OP_SCHEMAS,
  minProperties: 1,
  maxProperties: 1,
};
