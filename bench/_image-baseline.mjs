// The baseline of `npm run bench image`: a plain sharp loop doing the stage's ops on every photo,
// with the same number of images in flight and the same libvips threads per image. Each photo is
// decoded and normalised once; each output (the original, then one augmented copy) is cropped,
// jittered (linear for brightness/contrast, modulate for saturation/hue), maybe flipped, and
// written as PNG. No cache, no manifest: the floor the stage is compared with.
// usage: node bench/_image-baseline.mjs <input folder> <output folder> <in flight>
import { mkdir, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const [input, output, inFlightArg] = process.argv.slice(2);
const inFlight = Number(inFlightArg);
sharp.concurrency(Math.max(1, Math.floor(availableParallelism() / inFlight)));
sharp.cache(false);

const files = [];
for (const label of (await readdir(input)).sort()) {
  await mkdir(join(output, label), { recursive: true });
  for (const name of (await readdir(join(input, label))).sort()) files.push([label, name]);
}

const between = (lo, hi) => lo + (hi - lo) * Math.random();
async function one([label, name]) {
  const { data, info } = await sharp(join(input, label, name))
    .autoOrient()
    .resize({ width: 256, height: 256, fit: 'cover' })
    .flatten({ background: '#000' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const stem = name.replace(/\.[^.]+$/, '');
  // copy 0: centre crop
  await sharp(data, raw).extract({ left: 16, top: 16, width: 224, height: 224 }).png().toFile(join(output, label, `${stem}.c0.png`));
  // copy 1: random crop, jitter, flip
  let p = sharp(data, raw).extract({ left: Math.floor(Math.random() * 33), top: Math.floor(Math.random() * 33), width: 224, height: 224 });
  const [b, c] = [between(0.8, 1.2), between(0.8, 1.2)];
  p = p.linear(b * c, 128 * (1 - c)).modulate({ saturation: between(0.8, 1.2), hue: Math.round(between(-72, 72)) });
  if (Math.random() < 0.5) p = p.flop();
  await p.png().toFile(join(output, label, `${stem}.c1.png`));
}

let next = 0;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < files.length) await one(files[next++]);
  }),
);
