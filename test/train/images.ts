import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

/** The first `count` MNIST digits of class `digit` (28×28, values 0..1) from the `mnist` package. */
export function mnistDigits(digit: number, count: number): number[][] {
  const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
  return Array.from({ length: count }, (_, i) => raw.slice(i * 784, (i + 1) * 784));
}

/** Grey PNG bytes of 0..1 values, rounded to 0..255 (what a decoder must give back exactly). */
export function greyBytes(values: readonly number[]): Buffer {
  return Buffer.from(values.map((v) => Math.round(v * 255)));
}

export async function writeGreyPng(path: string, values: readonly number[], side = 28): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await sharp(greyBytes(values), { raw: { width: side, height: side, channels: 1 } }).png().toFile(path);
}

export interface DigitRow {
  readonly path: string;
  readonly label: string;
  readonly pixels: readonly number[];
  readonly split: 'train' | 'val' | 'test';
}

/**
 * An `image` stage output folder as CONTRACT-image-train.md defines it (written here because the
 * image built-in is another issue): `<label>/<n>.png`, manifest.csv, preprocess.json; and the
 * train/val/test split tables of its manifest, `perClass` digits per class split 6:1:3.
 */
export async function writeDigitFolder(root: string, folder: string, splits: string, perClass: number, scale: 'unit' | 'standardize'): Promise<DigitRow[]> {
  const rows: DigitRow[] = [];
  for (let digit = 0; digit < 10; digit++) {
    mnistDigits(digit, perClass).forEach((pixels, i) => {
      const split = i < perClass * 0.6 ? 'train' : i < perClass * 0.7 ? 'val' : 'test';
      rows.push({ path: `${digit}/${String(i).padStart(3, '0')}.png`, label: String(digit), pixels, split });
    });
  }
  await Promise.all(rows.map((r) => writeGreyPng(join(root, folder, r.path), r.pixels)));
  const line = (r: DigitRow): string => `${r.path},${r.label},${r.path},0,28,28`;
  const header = 'path,label,source,copy,width,height';
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write(`${folder}/manifest.csv`, `${header}\n${rows.map(line).join('\n')}\n`);
  write(`${folder}/preprocess.json`, `${JSON.stringify({ channels: 1, colorspace: 'grey', height: 28, scale, version: 1, width: 28 })}\n`);
  for (const split of ['train', 'val', 'test'] as const) {
    write(`${splits}/${split}.csv`, `${header}\n${rows.filter((r) => r.split === split).map(line).join('\n')}\n`);
  }
  return rows;
}
