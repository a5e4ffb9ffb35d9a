import { isAbsolute, join, posix } from 'node:path';
import sharp from 'sharp';
import { DvctsError } from '../../core/errors.js';
import type { ImageInput } from './preprocess.js';

/** One image to decode: its manifest path (relative to `folder`) and where it was listed. */
export interface ImageRef {
  readonly folder: string;
  readonly path: string;
  readonly file: string;
  readonly line: number;
}

const CONCURRENCY = 8;

/**
 * Decodes images with sharp into one Float32Array of value/255, height × width × channels per
 * image, in `refs` order. Alpha is dropped, grey or sRGB is forced to the model's channels, and
 * images of another size are resized to it (fill). Paths from a
 * manifest are untrusted: absolute paths and `..` are refused before anything is read.
 */
export async function decodeImages(refs: readonly ImageRef[], input: Pick<ImageInput, 'width' | 'height' | 'channels'>): Promise<Float32Array> {
  const size = input.width * input.height * input.channels;
  const out = new Float32Array(refs.length * size);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < refs.length) {
      const i = next++;
      const pixels = await decodeOne(refs[i]!, input);
      for (let k = 0; k < size; k++) out[i * size + k] = pixels[k]! / 255;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, refs.length) }, worker));
  return out;
}

async function decodeOne(ref: ImageRef, input: Pick<ImageInput, 'width' | 'height' | 'channels'>): Promise<Buffer> {
  const abs = safeJoin(ref);
  try {
    // sharp leaves an image of the requested size as it is: `resize` only acts on other sizes.
    const { data, info } = await sharp(abs, { failOn: 'error' })
      .removeAlpha()
      .toColourspace(input.channels === 1 ? 'b-w' : 'srgb')
      .resize(input.width, input.height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== input.channels) throw new Error(`decoded ${info.channels} channels, expected ${input.channels}`);
    return data;
  } catch (e) {
    const missing = (e as Error).message.includes('missing') || (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DvctsError('E_IMAGE_UNREADABLE', `${ref.file}:${ref.line}: cannot read image ${ref.path}: ${(e as Error).message}`, {
      data: { file: ref.file, line: ref.line, path: ref.path },
      hint: missing ? 'the manifest names an image the folder does not have: rerun the image stage' : 'replace or remove the broken image',
    });
  }
}

function safeJoin(ref: ImageRef): string {
  const p = ref.path;
  const bad = p === '' || isAbsolute(p) || p.includes('\\') || p.includes('\0') || posix.normalize(p).split('/').includes('..');
  if (bad) {
    throw new DvctsError('E_IMAGE_PATH_INVALID', `${ref.file}:${ref.line}: image path ${JSON.stringify(p)} must be relative to the image folder, without ".."`, {
      data: { file: ref.file, line: ref.line, path: p },
      hint: 'manifests written by the `image` stage hold paths relative to its output folder',
    });
  }
  return join(ref.folder, p);
}
