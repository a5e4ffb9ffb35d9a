import type { RawImage } from './pixels.js';

/**
 * Albumentations' ColorJitter on 8-bit pixels (its torchvision-compatible functions):
 * - brightness f: v * f, clipped, truncated to an integer (a 256-entry table, as Albumentations);
 * - contrast f: v * f + m * (1 - f), m = mean of the grey image (0.299 R + 0.587 G + 0.114 B);
 * - saturation f: blend with the pixel's own grey, v * f + g * (1 - f), rounded;
 * - hue h: rotate the HSV hue by h turns (Albumentations quantises hue to OpenCV's 180 steps;
 *   here it is exact).
 * Saturation and hue leave grey images alone, as Albumentations does.
 */
export interface JitterFactors {
  readonly brightness: number;
  readonly contrast: number;
  readonly saturation: number;
  readonly hue: number;
}

export type JitterStep = keyof JitterFactors;
export const JITTER_STEPS: readonly JitterStep[] = ['brightness', 'contrast', 'saturation', 'hue'];

/** Applies the four adjustments in `order` (ColorJitter shuffles it per image). */
export function colorJitter(img: RawImage, factors: JitterFactors, order: readonly JitterStep[] = JITTER_STEPS): RawImage {
  let out = img;
  for (const step of order) out = STEPS[step](out, factors[step]);
  return out;
}

const STEPS: Readonly<Record<JitterStep, (img: RawImage, factor: number) => RawImage>> = {
  brightness: (img, f) => (f === 1 ? img : withTable(img, (v) => Math.min(255, Math.floor(v * f)))),
  contrast(img, f) {
    if (f === 1) return img;
    const mean = greyMean(img);
    if (f === 0) return { ...img, data: Buffer.alloc(img.data.length, Math.floor(mean + 0.5)) };
    return withTable(img, (v) => clampByte(Math.floor(v * f + mean * (1 - f))));
  },
  saturation(img, f) {
    if (f === 1 || img.channels === 1) return img;
    const src = img.data;
    const data = Buffer.allocUnsafe(src.length);
    const greyWeight = 1 - f;
    for (let i = 0; i < src.length; i += 3) {
      const r = src[i] as number;
      const g = src[i + 1] as number;
      const b = src[i + 2] as number;
      const grey = Math.round(0.299 * r + 0.587 * g + 0.114 * b) * greyWeight;
      data[i] = roundByte(r * f + grey);
      data[i + 1] = roundByte(g * f + grey);
      data[i + 2] = roundByte(b * f + grey);
    }
    return { ...img, data };
  },
  hue(img, h) {
    if (h === 0 || img.channels === 1) return img;
    return { ...img, data: shiftHue(img.data, h * 6) };
  },
};

/** A per-value lookup table applied to every byte. */
function withTable(img: RawImage, f: (v: number) => number): RawImage {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = f(v);
  const src = img.data;
  const data = Buffer.allocUnsafe(src.length);
  for (let i = 0; i < src.length; i++) data[i] = table[src[i] as number] as number;
  return { ...img, data };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Clipped to [0, 255] and rounded half up. */
function roundByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.floor(v + 0.5);
}

/** Mean of OpenCV's RGB -> GRAY for 8 bits, round(0.299 R + 0.587 G + 0.114 B), over the image. */
function greyMean(img: RawImage): number {
  const src = img.data;
  let sum = 0;
  if (img.channels === 1) for (let i = 0; i < src.length; i++) sum += src[i] as number;
  else for (let i = 0; i < src.length; i += 3) sum += Math.round(0.299 * (src[i] as number) + 0.587 * (src[i + 1] as number) + 0.114 * (src[i + 2] as number));
  return sum / (img.width * img.height);
}

/** Every pixel through RGB -> HSV, hue + `sixths` of the wheel, -> RGB (value and saturation kept). */
function shiftHue(src: Buffer, sixths: number): Buffer {
  const dst = Buffer.allocUnsafe(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i] as number;
    const g = src[i + 1] as number;
    const b = src[i + 2] as number;
    const max = r > g ? (r > b ? r : b) : g > b ? g : b;
    const min = r < g ? (r < b ? r : b) : g < b ? g : b;
    const chroma = max - min;
    if (chroma === 0) {
      dst[i] = r;
      dst[i + 1] = g;
      dst[i + 2] = b;
      continue;
    }
    let hue = (max === r ? (g - b) / chroma : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4) + sixths;
    hue -= 6 * Math.floor(hue / 6);
    if (hue >= 6) hue = 0; // a tiny negative hue rounds to 6
    const sector = Math.floor(hue);
    const rising = min + chroma * (hue - sector); // the channel climbing in this sixth
    const falling = max - chroma * (hue - sector);
    let R: number;
    let G: number;
    let B: number;
    if (sector === 0) [R, G, B] = [max, rising, min];
    else if (sector === 1) [R, G, B] = [falling, max, min];
    else if (sector === 2) [R, G, B] = [min, max, rising];
    else if (sector === 3) [R, G, B] = [min, falling, max];
    else if (sector === 4) [R, G, B] = [rising, min, max];
    else [R, G, B] = [max, min, falling];
    dst[i] = Math.floor(R + 0.5);
    dst[i + 1] = Math.floor(G + 0.5);
    dst[i + 2] = Math.floor(B + 0.5);
  }
  return dst;
}
