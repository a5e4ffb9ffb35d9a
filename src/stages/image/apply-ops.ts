import { colorJitter, JITTER_STEPS } from './color-jitter.js';
import type { Op } from './ops.js';
import { cropAt, cropCentre, mirror, padTo, type RawImage } from './pixels.js';
import type { OutputRandom } from './random.js';
import { normalizePixels, rotatePixels } from './sharp-steps.js';

/**
 * Applies one op. `random` is the output's generator; undefined means the original (copy 0):
 * random ops are skipped and a random crop takes the centre. Each random op draws the same
 * numbers whatever its probability decides, so changing `p` never shifts the draws of later ops.
 */
export async function applyOp(op: Op, img: RawImage, random: OutputRandom | undefined): Promise<RawImage> {
  switch (op.kind) {
    case 'normalize':
      return normalizePixels(img, op);
    case 'crop': {
      const framed = op.padding > 0 ? padTo(img, img.width + 2 * op.padding, img.height + 2 * op.padding) : img;
      const padded = padTo(framed, op.width, op.height);
      if (op.mode === 'center' || random === undefined) return cropCentre(padded, op.width, op.height);
      const left = random.below(padded.width - op.width + 1);
      const top = random.below(padded.height - op.height + 1);
      return cropAt(padded, left, top, op.width, op.height);
    }
    case 'jitter': {
      if (random === undefined) return img;
      const apply = random.next() < op.p;
      const factors = {
        brightness: random.between(op.brightness),
        contrast: random.between(op.contrast),
        saturation: random.between(op.saturation),
        hue: random.between(op.hue),
      };
      const order = random.shuffled(JITTER_STEPS);
      return apply ? colorJitter(img, factors, order) : img;
    }
    case 'flip': {
      if (random === undefined) return img;
      const horizontal = random.next() < op.p && op.horizontal;
      const vertical = random.next() < op.p && op.vertical;
      return mirror(img, horizontal, vertical);
    }
    case 'rotate': {
      if (random === undefined) return img;
      const apply = random.next() < op.p;
      const degrees = random.between(op.degrees);
      if (!apply || degrees === 0) return img;
      // libvips grows the canvas to hold the corners; keep the original size, as Albumentations does.
      return cropCentre(await rotatePixels(img, degrees, op.background), img.width, img.height);
    }
  }
}
