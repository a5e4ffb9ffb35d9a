import sharp, { type Sharp } from 'sharp';
import type { ImageFormat } from './definition.js';
import type { Colorspace, NormalizeOp } from './ops.js';
import type { RawImage } from './pixels.js';

/**
 * The steps that need sharp (libvips): decoding, resizing, colour conversion, rotation by any
 * angle, encoding. Each returns 8-bit interleaved pixels, so the steps chain in any order.
 */

/** sharp's colour space name for ours (b-w is 8-bit single-channel). */
const VIPS_SPACE: Readonly<Record<Colorspace, 'srgb' | 'b-w'>> = { srgb: 'srgb', grey: 'b-w' };

function colorspaceOf(img: RawImage): Colorspace {
  return img.channels === 1 ? 'grey' : 'srgb';
}

async function toRaw(pipeline: Sharp, colorspace: Colorspace): Promise<RawImage> {
  const { data, info } = await pipeline.toColourspace(VIPS_SPACE[colorspace]).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
}

function fromRaw(img: RawImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
}

function resized(pipeline: Sharp, op: NormalizeOp): Sharp {
  if (op.width === undefined && op.height === undefined) return pipeline;
  return pipeline.resize({ width: op.width, height: op.height, fit: op.fit, background: op.background });
}

/**
 * Decodes a source file's bytes: EXIF orientation applied, alpha flattened, converted to
 * `colorspace` (first frame of animations). A leading normalize is done in the same pipeline, so
 * libvips can shrink a JPEG while decoding it. Throws sharp's own error for unreadable input
 * (truncated files fail too: sharp's default `failOn: 'warning'`).
 */
export async function decode(bytes: Buffer, colorspace: Colorspace, normalize?: NormalizeOp): Promise<RawImage> {
  let pipeline = sharp(bytes).autoOrient();
  if (normalize !== undefined) pipeline = resized(pipeline, normalize);
  pipeline = pipeline.flatten({ background: normalize?.background ?? '#000000' });
  return toRaw(pipeline, normalize?.colorspace ?? colorspace);
}

export function normalizePixels(img: RawImage, op: NormalizeOp): Promise<RawImage> {
  return toRaw(resized(fromRaw(img), op), op.colorspace);
}

/** Rotates by `degrees` about the centre; the canvas grows to hold the corners (`background` fills them). */
export function rotatePixels(img: RawImage, degrees: number, background: string): Promise<RawImage> {
  return toRaw(fromRaw(img).rotate(degrees, { background }), colorspaceOf(img));
}

/** Encodes pixels for writing; metadata is not copied, so the bytes depend on the pixels alone. */
export function encode(img: RawImage, format: ImageFormat, quality: number): Promise<Buffer> {
  const pipeline = fromRaw(img).toColourspace(VIPS_SPACE[colorspaceOf(img)]);
  switch (format) {
    case 'png':
      return pipeline.png().toBuffer();
    case 'jpeg':
      return pipeline.jpeg({ quality }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality }).toBuffer();
  }
}

/** libvips threads per image, and whether sharp keeps an operation cache. */
export function configureSharp(threadsPerImage: number): () => void {
  const before = { threads: sharp.concurrency(), cache: sharp.cache() };
  sharp.concurrency(threadsPerImage);
  // Every image is decoded once: libvips' operation cache would only hold memory.
  sharp.cache(false);
  return () => {
    sharp.concurrency(before.threads);
    sharp.cache({ memory: before.cache.memory.max, files: before.cache.files.max, items: before.cache.items.max });
  };
}

export const SHARP_VERSIONS = `sharp ${sharp.versions.sharp} libvips ${sharp.versions.vips}`;
