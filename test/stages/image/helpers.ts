import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { itemCacheDirsOf, openItemCache } from '../../../src/cache/item-cache.js';
import { validateOptions } from '../../../src/pipeline/validate-options.js';
import { imageStage, type ImageOptions } from '../../../src/stages/image/definition.js';
import { loadRunner, type StageContext } from '../../../src/core/builtin.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Real images: a public-domain photo (test/fixtures/images/SOURCES.md) and an RGBA icon from vega-datasets. */
export const HOPPER = join(repo, 'test/fixtures/images/grace_hopper.jpg');
export const FOX = join(repo, 'node_modules/vega-datasets/data/ffox.png');

/** A photo-like scene (gradient, disc, bar) as JPEG: the same bytes on every run with the same sharp. */
export function scene(width: number, height: number, hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,35%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,75%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.3}" cy="${height * 0.45}" r="${Math.min(width, height) * 0.25}" fill="hsl(${(hue + 180) % 360},80%,55%)"/>
    <rect x="${width * 0.6}" y="${height * 0.2}" width="${width * 0.12}" height="${height * 0.6}" fill="white"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** A 2:1 JPEG stored sideways, left half red, right half blue, with EXIF orientation 6 (display = rotate 90° clockwise). */
export function sidewaysJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="40" height="40" fill="#ff0000"/><rect x="40" width="40" height="40" fill="#0000ff"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
}

export function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** Every file under `dir` (relative path -> sha256), sorted. */
export function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) visit(abs);
      else out[relative(dir, abs)] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  visit(dir);
  return out;
}

export interface ImageRun {
  readonly log: string[];
  readonly progress: [number, number][];
}

/**
 * Runs the image stage the way the engine does: options validated (nested defaults applied), the
 * output removed first, the project's real per-item cache and object store under `.dvcts/cache`.
 */
export async function runImage(root: string, io: { deps: string[]; outs: string[]; metrics?: string[] }, options: Record<string, unknown>): Promise<ImageRun> {
  const validated = validateOptions(imageStage.options, options);
  if (validated.problems.length > 0) throw new Error(`invalid options: ${JSON.stringify(validated.problems)}`);
  const opts = validated.value as ImageOptions;
  const problems = imageStage.check?.(opts, { deps: io.deps, outs: io.outs, metrics: io.metrics ?? [] }) ?? [];
  if (problems.length > 0) throw new Error(`invalid options: ${JSON.stringify(problems)}`);
  const abs = (paths: string[]) => paths.map((p) => join(root, p));
  const run: ImageRun = { log: [], progress: [] };
  const ctx: StageContext<ImageOptions> = {
    root,
    wdir: root,
    deps: abs(io.deps),
    outs: abs(io.outs),
    metrics: abs(io.metrics ?? []),
    options: opts,
    log: (line) => run.log.push(line),
    progress: (done, total) => run.progress.push([done, total]),
    itemCache: openItemCache(itemCacheDirsOf(join(root, '.dvcts', 'cache'))),
    signal: new AbortController().signal,
  };
  await (await loadRunner<ImageOptions>(imageStage.runner)).run(ctx);
  return run;
}

/** Decoded pixels of an image file, in the file's own channels (1 for a grey PNG, 3 for RGB). */
export async function pixels(path: string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const grey = (await sharp(path).metadata()).channels === 1;
  const { data, info } = await sharp(path).toColourspace(grey ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** A PNG's colour type and bit depth from its IHDR chunk (0 = grey, 2 = RGB, 6 = RGBA). */
export function pngHeader(path: string): { colorType: number; bitDepth: number } {
  const bytes = readFileSync(path);
  return { bitDepth: bytes[24] as number, colorType: bytes[25] as number };
}
